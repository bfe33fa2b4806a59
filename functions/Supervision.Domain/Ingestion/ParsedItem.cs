using Supervision.Domain.Text;

namespace Supervision.Domain.Ingestion;

/// <summary>
/// An item as a source states it, before Supervision gives it an identity. Sources that name
/// organisations or measure tone themselves (GDELT) fill <see cref="Organisations"/> and
/// <see cref="Tone"/>; feeds leave them empty.
/// </summary>
public sealed record ParsedItem(string? PublisherId, string Title, string Summary, string? Link, DateTimeOffset? PublishedAt)
{
    public IReadOnlyList<string> Organisations { get; init; } = [];

    /// <summary>The source's own tone on its scale (GDELT: about -10 to +10), if it gives one.</summary>
    public double? Tone { get; init; }

    /// <summary>What went wrong reading this item's bytes as text, for operators and the source's record.</summary>
    public DecodingIssues Decoding { get; init; }

    /// <summary>
    /// The document's decoding flags, as they concern each item: a wrong declaration concerns every
    /// item; replaced bytes only the items whose text holds a replacement character.
    /// </summary>
    public static IReadOnlyList<ParsedItem> Flagged(IReadOnlyList<ParsedItem> items, DecodingIssues document)
    {
        if (document == DecodingIssues.None)
        {
            return items;
        }

        var wrong = document & DecodingIssues.DeclarationWrong;
        var replaced = document & DecodingIssues.InvalidBytesReplaced;
        return items.Select(i => i with { Decoding = wrong | (i.HoldsReplacement ? replaced : DecodingIssues.None) }).ToList();
    }

    private bool HoldsReplacement =>
        $"{PublisherId}{Title}{Summary}{Link}".Contains('\uFFFD', StringComparison.Ordinal)
        || Organisations.Any(o => o.Contains('\uFFFD', StringComparison.Ordinal));
}

/// <summary>A whole feed document: its format, title, the encoding it was read with, and its items.</summary>
public sealed record ParsedFeed(string Format, string? Title, string Encoding, string EncodingDecidedBy, IReadOnlyList<ParsedItem> Items)
{
    /// <summary>What went wrong reading the document's bytes as text; each item carries what concerns it.</summary>
    public DecodingIssues Decoding { get; init; }
}
