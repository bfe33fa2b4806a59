using Supervision.Domain.Enterprises;
using Supervision.Domain.Text;

namespace Supervision.Infrastructure.Enterprises;

/// <summary>What a registry CSV holds: the enterprises to import, and the rows refused or flagged, with where and why.</summary>
public sealed record EnterpriseCsvRead(
    IReadOnlyList<Enterprise> Enterprises, IReadOnlyList<string> Rejected, IReadOnlyList<string> Flagged);

/// <summary>
/// Reads the registry's RFC 4180 CSV with a header (uscc, name, and optionally english_name,
/// aliases, former_names; lists separated by '|'). A row with an invalid code or no name is
/// refused whole, never half-read; a legacy pilot code failing its check character is kept with a flag.
/// </summary>
public static class EnterpriseCsv
{
    public static EnterpriseCsvRead Read(string path)
    {
        List<CsvRecord> records;
        using (var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true))
        {
            records = Csv.Read(reader).ToList();
        }

        var header = records.Count == 0 ? [] : records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        int Column(string name) => header.IndexOf(name);
        if (Column("uscc") < 0 || Column("name") < 0)
        {
            throw new InvalidDataException(
                $"{path}: the header must name at least the columns uscc and name (optional: english_name, aliases, former_names)");
        }

        string Field(CsvRecord record, string name) =>
            Column(name) is var i and >= 0 && i < record.Fields.Count ? record.Fields[i].Trim() : string.Empty;
        static string[] List(string value) => value.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var enterprises = new List<Enterprise>();
        var rejected = new List<string>();
        var flagged = new List<string>();
        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != header.Count)
            {
                rejected.Add($"{path}:{record.Line}: {record.Fields.Count} fields, the header has {header.Count}");
                continue;
            }

            var code = Uscc.Compact(Field(record, "uscc"));
            var check = Uscc.Check(code);
            if (!check.IsAcceptable || Field(record, "name").Length == 0)
            {
                rejected.Add($"{path}:{record.Line}: {check.Reason ?? "the name is empty"}");
                continue;
            }

            if (check.Status == UsccStatus.Flagged)
            {
                flagged.Add($"{path}:{record.Line}: {code}: {check.Reason}");
            }

            var english = Field(record, "english_name");
            var aliases = List(Field(record, "aliases"));
            enterprises.Add(new Enterprise(code, Field(record, "name"), english.Length == 0 ? null : english, aliases)
            {
                FormerNames = List(Field(record, "former_names")),
                UsccFlag = check.Status == UsccStatus.Flagged ? check.Reason : null,
            });
        }

        return new EnterpriseCsvRead(enterprises, rejected, flagged);
    }
}
