using System.Globalization;
using System.Text.RegularExpressions;

namespace Supervision.Domain.Ingestion;

/// <summary>
/// Reads GDELT 2.1 Global Knowledge Graph files: 27 tab-separated columns per record, no header.
/// Each record becomes an item about its source URL carrying the organisations it names and its
/// tone, so it can be linked by organisation and weighed without scoring text GDELT never ships.
/// </summary>
/// <remarks>
/// Column numbers are those of the GKG 2.1 codebook (V2DOCUMENTIDENTIFIER is 4,
/// V2ENHANCEDORGANIZATIONS 14, V1.5TONE 15, V2EXTRASXML 26).
/// </remarks>
public static partial class GdeltGkgReader
{
    private const int Columns = 27;

    public static GkgReadResult Read(TextReader reader)
    {
        var items = new List<ParsedItem>();
        var errors = new List<string>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            var fields = line.Split('\t');
            if (fields.Length != Columns)
            {
                errors.Add($"line {lineNumber}: {fields.Length} columns, a GKG 2.1 record has {Columns}");
                continue;
            }

            if (!TryTone(fields[15], out var tone))
            {
                errors.Add($"line {lineNumber}: V1.5TONE '{Clip(fields[15])}' is not seven numbers");
                continue;
            }

            var organisations = Organisations(fields[14], fields[13]);
            var title = PageTitle().Match(fields[26]) is { Success: true } m ? FeedReader.PlainText(m.Groups[1].Value) : string.Empty;
            var summary = organisations.Count == 0 ? string.Empty : string.Join("; ", organisations);
            items.Add(new ParsedItem(fields[0], title.Length > 0 ? title : fields[4], summary, fields[4], ParseDate(fields[1]))
            {
                Organisations = organisations,
                Tone = tone,
            });
        }

        return new GkgReadResult(items, errors);
    }

    /// <summary>Organisations named in the record, each once, in order of first mention.</summary>
    internal static IReadOnlyList<string> Organisations(string enhanced, string v1)
    {
        // V2 has "Name,offset;Name,offset" with repeats; V1 is "name;name" in lower case. V2 keeps case.
        var source = string.IsNullOrEmpty(enhanced)
            ? v1.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : enhanced.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(e => e[..Math.Max(0, e.LastIndexOf(','))].Trim());
        return source.Where(n => n.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private static bool TryTone(string field, out double tone)
    {
        var parts = field.Split(',');
        tone = 0;
        return parts.Length == 7 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out tone);
    }

    private static DateTimeOffset? ParseDate(string field) =>
        DateTimeOffset.TryParseExact(field, "yyyyMMddHHmmss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : null;

    private static string Clip(string value) => value.Length > 60 ? value[..60] + "…" : value;

    [GeneratedRegex("<PAGE_TITLE>(.*?)</PAGE_TITLE>", RegexOptions.Singleline)]
    private static partial Regex PageTitle();
}

/// <summary>The records read and, for each record that could not be, why.</summary>
public sealed record GkgReadResult(IReadOnlyList<ParsedItem> Items, IReadOnlyList<string> Errors);
