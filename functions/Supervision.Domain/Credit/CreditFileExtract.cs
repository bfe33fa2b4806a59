using System.Text;
using System.Text.Json;
using Supervision.Domain.Text;

namespace Supervision.Domain.Credit;

/// <summary>What an enterprise may download of raw evidence: all of it, only its own rows, or nothing.</summary>
public enum ExtractKind
{
    /// <summary>Not a credit file of enterprises' rows (a feed, a page): the bytes as archived.</summary>
    Whole,

    /// <summary>A credit file: its header and the enterprise's own rows, nothing of another enterprise.</summary>
    OwnRows,

    /// <summary>A credit file whose rows cannot be told apart: nothing, rather than risk another enterprise's row.</summary>
    Refused,
}

/// <summary>The answer for one enterprise: what kind, and for <see cref="ExtractKind.OwnRows"/> the text and its file extension.</summary>
public sealed record CreditExtract(ExtractKind Kind, string? Text = null, string Extension = "bin", int Rows = 0);

/// <summary>
/// Cuts a credit file (bureau scores, association ratings, authority records: CSV with a header, a JSON
/// array, or JSON lines, each row naming a <c>uscc</c>) down to the rows of one enterprise. A credit file
/// holds many enterprises' rows; an enterprise reading the evidence of its case gets the header and its
/// own rows, and checks the whole file's hash against the case file. Rows are re-written, not cut out of
/// the text, so that a quoted field holding a line break can never carry another row along.
/// </summary>
public static class CreditFileExtract
{
    private const string UsccColumn = "uscc";

    /// <param name="fromCreditSource">
    /// The evidence's source delivers credit files: text that does not read as one is refused rather than
    /// answered whole.
    /// </param>
    public static CreditExtract For(string text, string uscc, bool fromCreditSource)
    {
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var extract = trimmed.StartsWith('[') || trimmed.StartsWith('{') ? FromJson(trimmed, uscc) : FromCsv(text, uscc);
        return extract.Kind == ExtractKind.Whole && fromCreditSource ? new CreditExtract(ExtractKind.Refused) : extract;
    }

    private static CreditExtract FromCsv(string text, string uscc)
    {
        List<CsvRecord> records;
        try
        {
            records = Csv.Read(new StringReader(text)).ToList();
        }
        catch (FormatException)
        {
            var firstLine = text.Split('\n', 2)[0];
            return new CreditExtract(
                firstLine.Contains(UsccColumn, StringComparison.OrdinalIgnoreCase) ? ExtractKind.Refused : ExtractKind.Whole);
        }

        var header = records.FirstOrDefault()?.Fields.Select(f => f.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        var column = header?.IndexOf(UsccColumn) ?? -1;
        if (column < 0)
        {
            return new CreditExtract(ExtractKind.Whole);
        }

        var own = records.Skip(1).Where(r => r.Fields.Count > column && SameUscc(r.Fields[column], uscc)).ToList();
        var csv = new StringBuilder();
        foreach (var record in own.Prepend(records[0]))
        {
            csv.Append(string.Join(',', record.Fields.Select(Quoted))).Append("\r\n");
        }

        return new CreditExtract(ExtractKind.OwnRows, csv.ToString(), "csv", own.Count);
    }

    private static CreditExtract FromJson(string text, string uscc)
    {
        var (rows, array) = JsonRows(text);
        if (rows is null)
        {
            return new CreditExtract(ExtractKind.Refused);
        }

        if (!rows.Any(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty(UsccColumn, out _)))
        {
            return new CreditExtract(ExtractKind.Whole);
        }

        var own = rows.Where(r => r.ValueKind == JsonValueKind.Object
            && r.TryGetProperty(UsccColumn, out var value) && value.ValueKind == JsonValueKind.String
            && SameUscc(value.GetString()!, uscc)).Select(r => r.GetRawText()).ToList();
        var written = array ? "[" + string.Join(",\n", own) + "]\n" : string.Concat(own.Select(r => r + "\n"));
        return new CreditExtract(ExtractKind.OwnRows, written, array ? "json" : "jsonl", own.Count);
    }

    /// <summary>The rows of a JSON array, one object, or JSON lines (unreadable lines are left out); null when nothing reads.</summary>
    private static (List<JsonElement>? Rows, bool Array) JsonRows(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Array
                ? (root.EnumerateArray().Select(e => e.Clone()).ToList(), true)
                : ([root.Clone()], false);
        }
        catch (JsonException)
        {
            // Not one document: JSON lines.
        }

        var rows = new List<JsonElement>();
        foreach (var line in text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0))
        {
            try
            {
                using var document = JsonDocument.Parse(line);
                rows.Add(document.RootElement.Clone());
            }
            catch (JsonException)
            {
                // An unreadable line names no enterprise that could be told apart: left out.
            }
        }

        return (rows.Count > 0 ? rows : null, false);
    }

    private static bool SameUscc(string value, string uscc) => string.Equals(value.Trim(), uscc.Trim(), StringComparison.OrdinalIgnoreCase);

    private static string Quoted(string field) =>
        field.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + field.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : field;
}
