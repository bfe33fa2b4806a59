using System.Globalization;

namespace Supervision.Domain.Credit;

/// <summary>A row that repeats an earlier row of the same file exactly: counted once, listed in the report.</summary>
public sealed record RowRepeat(string Row, string SameAs);

/// <summary>
/// Where a pushed record is kept, beside its enterprise and source: the date it is as of (scores),
/// the date it is valid until (ratings) or the decision's reference (authority records). Two rows
/// of one file with the same enterprise and key would overwrite each other, so the file is checked
/// for them first (<see cref="CreditRowChecks.Resolve{T}"/>).
/// </summary>
public static class CreditRowKeys
{
    public static string Of(CreditScoreRecord record) => Day(record.AsOf);

    public static string Of(AssociationRating record) => Day(record.ValidUntil);

    public static string Of(GovernmentRecord record) => record.Reference;

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// Rows are refused, never bent: a score outside the scale its source declared is an error, not
/// clamped; rows of one file that claim the same place (<see cref="CreditRowKeys"/>) with different
/// values are all refused, since nothing says which is right; a row repeated exactly counts once.
/// </summary>
public static class CreditRowChecks
{
    /// <summary>The score as sent, or the reason it is refused.</summary>
    public static double InScale(string? value, double minimum, double maximum)
    {
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !double.IsFinite(score))
        {
            throw new FormatException($"score '{value}' is not a number");
        }

        var scale = $"{minimum.ToString(CultureInfo.InvariantCulture)}–{maximum.ToString(CultureInfo.InvariantCulture)}";
        return score >= minimum && score <= maximum
            ? score
            : throw new FormatException(
                $"分数 {value} 超出本来源声明的范围 {scale}，未采用 / score {value} is outside the source's declared scale {scale}; not taken");
    }

    /// <summary>
    /// The file's rows with conflicts refused and exact repeats set aside: each kept record is the
    /// only one of its file at its place (enterprise and <paramref name="key"/>).
    /// </summary>
    public static BatchReadResult<T> Resolve<T>(BatchReadResult<T> read, Func<T, string> uscc, Func<T, string> key, string keyName)
        where T : class
    {
        var records = new List<(string Row, T Record)>();
        var errors = read.Errors.ToList();
        var repeats = new List<RowRepeat>();
        foreach (var group in read.Records.GroupBy(r => (uscc(r.Record), key(r.Record))))
        {
            var rows = group.ToList();
            if (rows.All(r => r.Record.Equals(rows[0].Record)))
            {
                records.Add(rows[0]);
                repeats.AddRange(rows.Skip(1).Select(r => new RowRepeat(r.Row, rows[0].Row)));
                continue;
            }

            foreach (var (row, _) in rows)
            {
                var others = string.Join(", ", rows.Select(r => r.Row).Where(r => r != row));
                errors.Add(new RowError(
                    row,
                    $"与 {others} 冲突：USCC 与 {keyName} 相同而数值不同，均未采用 / "
                    + $"conflicts with {others}: same USCC and {keyName}, different values; none taken"));
            }
        }

        // In the file's order, as the source reads its report.
        var order = read.Records.Select((r, i) => (r.Row, i)).ToDictionary(r => r.Row, r => r.i, StringComparer.Ordinal);
        records.Sort((a, b) => order[a.Row].CompareTo(order[b.Row]));
        return new BatchReadResult<T>(records, errors) { Repeats = repeats };
    }
}
