using System.Globalization;
using System.Text.Json;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Text;

namespace Supervision.Domain.Credit;

/// <summary>A row that could not be taken, and why, for the error report sent back to the source.</summary>
public sealed record RowError(string Row, string Reason);

/// <summary>The good rows of a delivered file and the reasons for the others.</summary>
public sealed record BatchReadResult<T>(IReadOnlyList<(string Row, T Record)> Records, IReadOnlyList<RowError> Errors)
{
    /// <summary>Rows that repeat an earlier row exactly: taken once, with that row.</summary>
    public IReadOnlyList<RowRepeat> Repeats { get; init; } = [];
}

/// <summary>
/// Checks pushed batch files against their schema, row by row, as CSV (header row with the
/// column names below) or JSON (an array of objects or one object per line). A file that cannot
/// be read at all is rejected whole; otherwise good rows proceed and bad ones are reported, never
/// bent to fit (<see cref="CreditRowChecks"/>).
/// </summary>
public static class CreditRecordReader
{
    public static readonly string[] ScoreColumns = ["uscc", "score", "grade", "as_of", "model_version"];
    public static readonly string[] RatingColumns = ["uscc", "rating", "industry", "valid_until"];
    public static readonly string[] GovernmentColumns =
        ["uscc", "record_type", "authority", "reference", "decided_on", "severity", "description"];

    /// <summary>The rating scale of Chinese trade-association credit ratings, best first.</summary>
    public static readonly string[] RatingScale = ["AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C"];

    /// <summary>A rating on a 0–100 scale: AAA 100, AA 90, … C 20.</summary>
    public static double NormaliseRating(string rating) => Array.IndexOf(RatingScale, rating) is var i and >= 0 ? 100 - (10 * i) : 0;

    /// <summary>
    /// A bureau score on a 0–100 scale, by the range the source declares (Sesame-style scores run 350–950).
    /// Scores outside the range are refused when read; the clamp only guards records stored before that.
    /// </summary>
    public static double NormaliseScore(double score, double minimum, double maximum) =>
        maximum <= minimum ? 0 : Math.Clamp((score - minimum) / (maximum - minimum) * 100, 0, 100);

    /// <summary>Bureau scores; one outside <paramref name="minimum"/>–<paramref name="maximum"/>, the source's scale, is refused.</summary>
    public static BatchReadResult<CreditScoreRecord> ReadScores(string text, bool json, DateOnly today, double minimum, double maximum) =>
        CreditRowChecks.Resolve(Read(text, json, ScoreColumns, (row, get) =>
        {
            var uscc = CheckUscc(get("uscc"));
            var score = CreditRowChecks.InScale(get("score"), minimum, maximum);
            var grade = Required(get("grade"), "grade");
            var asOf = Date(get("as_of"), "as_of");
            if (asOf > today)
            {
                throw new FormatException($"as_of {asOf:yyyy-MM-dd} is in the future");
            }

            return new CreditScoreRecord(uscc, score, grade, asOf, Required(get("model_version"), "model_version"));
        }), r => r.Uscc, CreditRowKeys.Of, "as_of");

    public static BatchReadResult<AssociationRating> ReadRatings(string text, bool json) =>
        CreditRowChecks.Resolve(Read(text, json, RatingColumns, (row, get) =>
        {
            var uscc = CheckUscc(get("uscc"));
            var rating = Required(get("rating"), "rating").ToUpperInvariant();
            if (!RatingScale.Contains(rating))
            {
                throw new FormatException($"rating '{rating}' is not one of {string.Join(", ", RatingScale)}");
            }

            return new AssociationRating(uscc, rating, Required(get("industry"), "industry"), Date(get("valid_until"), "valid_until"));
        }), r => r.Uscc, CreditRowKeys.Of, "valid_until");

    /// <summary>Authority records; <c>removed_on</c> is optional (empty while the listing stands).</summary>
    public static BatchReadResult<GovernmentRecord> ReadGovernmentRecords(string text, bool json, DateOnly today) =>
        CreditRowChecks.Resolve(Read(text, json, GovernmentColumns, (row, get) =>
        {
            var uscc = CheckUscc(get("uscc"));
            var typeName = Required(get("record_type"), "record_type").ToLowerInvariant();
            if (!GovernmentRecord.TypeNames.TryGetValue(typeName, out var type))
            {
                throw new FormatException($"record_type '{typeName}' is not one of {string.Join(", ", GovernmentRecord.TypeNames.Keys)}");
            }

            if (!Enum.TryParse<Reviews.MeasureSeverity>(Required(get("severity"), "severity"), ignoreCase: true, out var severity)
                || !Enum.IsDefined(severity))
            {
                throw new FormatException($"severity '{get("severity")}' is not minor, ordinary or serious");
            }

            var decided = Date(get("decided_on"), "decided_on");
            if (decided > today)
            {
                throw new FormatException($"decided_on {decided:yyyy-MM-dd} is in the future");
            }

            DateOnly? removed = string.IsNullOrWhiteSpace(get("removed_on")) ? null : Date(get("removed_on"), "removed_on");
            if (removed < decided)
            {
                throw new FormatException($"removed_on {removed:yyyy-MM-dd} is before decided_on {decided:yyyy-MM-dd}");
            }

            return new GovernmentRecord(
                uscc,
                type,
                Required(get("authority"), "authority"),
                Required(get("reference"), "reference"),
                decided,
                severity,
                Required(get("description"), "description"),
                removed);
        }), r => r.Uscc, CreditRowKeys.Of, "reference");

    private static BatchReadResult<T> Read<T>(string text, bool json, string[] columns, Func<string, Func<string, string?>, T> parse)
    {
        var rows = json ? JsonRows(text) : CsvRows(text, columns);
        var records = new List<(string, T)>();
        var errors = new List<RowError>();
        foreach (var (row, values) in rows)
        {
            if (values.TryGetValue("__error", out var shapeError))
            {
                errors.Add(new RowError(row, shapeError ?? "unreadable row"));
                continue;
            }

            try
            {
                records.Add((row, parse(row, name => values.GetValueOrDefault(name))));
            }
            catch (FormatException e)
            {
                errors.Add(new RowError(row, e.Message));
            }
        }

        return new BatchReadResult<T>(records, errors);
    }

    private static IEnumerable<(string Row, Dictionary<string, string?> Values)> CsvRows(string text, string[] columns)
    {
        List<CsvRecord> records;
        try
        {
            records = Csv.Read(new StringReader(text)).ToList();
        }
        catch (FormatException e)
        {
            throw new Ingestion.InputRejectedException(Ingestion.RejectionKind.InvalidRecords, $"not readable as CSV: {e.Message}", e);
        }

        if (records.Count == 0)
        {
            throw new Ingestion.InputRejectedException(Ingestion.RejectionKind.InvalidRecords, "the file is empty");
        }

        var header = records[0].Fields.Select(f => f.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToList();
        var missing = columns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            throw new Ingestion.InputRejectedException(
                Ingestion.RejectionKind.InvalidRecords,
                $"the header lacks column(s) {string.Join(", ", missing)}; expected {string.Join(",", columns)}");
        }

        foreach (var record in records.Skip(1))
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            if (record.Fields.Count != header.Count)
            {
                values["__error"] = $"{record.Fields.Count} fields, the header has {header.Count}";
            }

            for (var i = 0; i < Math.Min(header.Count, record.Fields.Count); i++)
            {
                values[header[i]] = record.Fields[i].Trim();
            }

            yield return ($"line {record.Line}", values);
        }
    }

    private static IEnumerable<(string Row, Dictionary<string, string?> Values)> JsonRows(string text)
    {
        var trimmed = text.TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        var elements = new List<(string, JsonElement)>();
        try
        {
            if (trimmed.StartsWith('['))
            {
                using var document = JsonDocument.Parse(trimmed);
                var index = 0;
                foreach (var element in document.RootElement.EnumerateArray())
                {
                    elements.Add(($"item {index++}", element.Clone()));
                }
            }
            else
            {
                var line = 0;
                foreach (var raw in trimmed.Split('\n'))
                {
                    line++;
                    if (!string.IsNullOrWhiteSpace(raw))
                    {
                        using var document = JsonDocument.Parse(raw);
                        elements.Add(($"line {line}", document.RootElement.Clone()));
                    }
                }
            }
        }
        catch (JsonException e)
        {
            throw new Ingestion.InputRejectedException(Ingestion.RejectionKind.InvalidRecords, $"not readable as JSON: {e.Message}", e);
        }

        return elements.Select(e => (e.Item1, Values(e.Item2)));
    }

    private static Dictionary<string, string?> Values(JsonElement element)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (element.ValueKind != JsonValueKind.Object)
        {
            values["__error"] = "not a JSON object";
            return values;
        }

        foreach (var property in element.EnumerateObject())
        {
            values[property.Name.ToLowerInvariant()] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number => property.Value.GetRawText(),
                _ => null,
            };
        }

        return values;
    }

    private static string CheckUscc(string? value)
    {
        var code = Uscc.Compact(Required(value, "uscc"));
        var check = Uscc.Check(code);
        return check.IsAcceptable ? code : throw new FormatException($"uscc '{code}': {check.Reason}");
    }

    private static string Required(string? value, string column) =>
        string.IsNullOrWhiteSpace(value) ? throw new FormatException($"{column} is missing") : value.Trim();

    private static DateOnly Date(string? value, string column) =>
        DateOnly.TryParseExact(Required(value, column), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new FormatException($"{column} '{value}' is not a date in the form yyyy-MM-dd");
}
