namespace Supervision.Domain.Ingestion;

/// <summary>
/// The most of each item field that is queued or stored, in one place. Every connector's items are
/// clipped to these before anything is written (<see cref="NormalisedItem.From"/>); an item's
/// identity and its exact-duplicate key are computed from the full values first, so two items
/// that differ only past a limit stay two items. What is cut is still in the raw archive.
/// </summary>
/// <remarks>
/// Why these sizes: scoring and matching need the lead, not the whole article; a link past 2,000
/// characters no browser or server reliably accepts; and one item at every limit, JSON-encoded,
/// must fit a queue message (64 KiB, base64) with room to spare. A field past its limit used to
/// reach the queue whole: one item with a 1 MB link failed every pull of its source with a 413.
/// </remarks>
public static class ItemFieldLimits
{
    public const int Title = 1_000;

    public const int Summary = 4_000;

    public const int Link = 2_000;

    /// <summary>Organisation names a source states for one item (GDELT lists every one it found).</summary>
    public const int Organisations = 20;

    public const int OrganisationName = 100;

    /// <summary>The title kept on the item's ledger row, for operators reading the table.</summary>
    public const int LedgerTitle = 300;

    /// <summary>
    /// At most <paramref name="max"/> characters of <paramref name="value"/>, never ending in half a
    /// surrogate pair. Characters no store should hold are replaced as well: C0 control characters
    /// other than tab and line breaks by a space, lone surrogates by U+FFFD.
    /// </summary>
    public static string Clip(string value, int max)
    {
        if (max <= 0)
        {
            return string.Empty;
        }

        var cut = value.Length <= max ? value.Length : char.IsHighSurrogate(value[max - 1]) ? max - 1 : max;
        var clean = true;
        for (var i = 0; i < cut && clean; i++)
        {
            clean = !NeedsReplacing(value, i, cut);
        }

        if (clean)
        {
            return cut == value.Length ? value : value[..cut];
        }

        return string.Create(cut, value, (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                var c = source[i];
                span[i] = !NeedsReplacing(source, i, span.Length) ? c : char.IsSurrogate(c) ? '\uFFFD' : ' ';
            }
        });
    }

    /// <summary>A link clipped to <see cref="Link"/>; blank is none.</summary>
    public static string? ClipLink(string? link) => string.IsNullOrWhiteSpace(link) ? null : Clip(link.Trim(), Link);

    public static IReadOnlyList<string> ClipOrganisations(IReadOnlyList<string> names) =>
        names.Take(Organisations).Select(n => Clip(n, OrganisationName)).ToList();

    private static bool NeedsReplacing(string text, int i, int end)
    {
        var c = text[i];
        if (c < ' ')
        {
            return c is not ('\t' or '\n' or '\r');
        }

        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= end || !char.IsLowSurrogate(text[i + 1]);
        }

        return char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(text[i - 1]));
    }
}
