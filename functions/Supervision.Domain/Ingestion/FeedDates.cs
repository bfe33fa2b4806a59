using System.Globalization;
using System.Text.RegularExpressions;

namespace Supervision.Domain.Ingestion;

/// <summary>
/// Reads the dates feeds carry: RFC 822 (RSS, with every time-zone spelling publishers use) and
/// ISO 8601 (Atom, Dublin Core). A date that cannot be read is unknown, never a reason to lose
/// the item.
/// </summary>
public static partial class FeedDates
{
    private static readonly Dictionary<string, string> Zones = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UT"] = "+0000", ["UTC"] = "+0000", ["GMT"] = "+0000", ["Z"] = "+0000",
        ["EST"] = "-0500", ["EDT"] = "-0400", ["CST"] = "-0600", ["CDT"] = "-0500",
        ["MST"] = "-0700", ["MDT"] = "-0600", ["PST"] = "-0800", ["PDT"] = "-0700",
        ["CET"] = "+0100", ["CEST"] = "+0200", ["BST"] = "+0100", ["JST"] = "+0900", ["HKT"] = "+0800",
    };

    private static readonly string[] Rfc822Formats =
    [
        "d MMM yyyy HH:mm:ss zzz", "d MMM yyyy HH:mm zzz", "d MMM yy HH:mm:ss zzz", "d MMM yy HH:mm zzz",
        "d MMM yyyy HH:mm:ss", "d MMM yyyy",
    ];

    public static DateTimeOffset? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var text = value.Trim();
        if (DateTimeOffset.TryParse(
                text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces, out var iso)
            && text.Length >= 10 && char.IsDigit(text[0]))
        {
            return iso;
        }

        // RFC 822: drop the weekday, spell the zone as an offset .NET can read.
        var withoutDay = DayName().Replace(text, string.Empty);
        var zoned = ZoneName().Replace(withoutDay, m => Zones.TryGetValue(m.Groups[1].Value, out var offset) ? offset : m.Value);
        zoned = OffsetWithoutColon().Replace(zoned, "$1$2:$3");
        foreach (var format in Rfc822Formats)
        {
            if (DateTimeOffset.TryParseExact(
                    zoned,
                    format,
                    CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces,
                    out var parsed))
            {
                return parsed;
            }
        }

        return DateTimeOffset.TryParse(zoned, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var loose) ? loose : null;
    }

    [GeneratedRegex(@"^\s*[A-Za-z]{3,9},?\s*")]
    private static partial Regex DayName();

    [GeneratedRegex(@"\b([A-Z]{1,4})\s*$")]
    private static partial Regex ZoneName();

    [GeneratedRegex(@"([+-])(\d{2})(\d{2})\s*$")]
    private static partial Regex OffsetWithoutColon();
}
