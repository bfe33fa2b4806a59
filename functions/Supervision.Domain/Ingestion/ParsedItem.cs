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
}

/// <summary>A whole feed document: its format, title, the encoding it was read with, and its items.</summary>
public sealed record ParsedFeed(string Format, string? Title, string Encoding, string EncodingDecidedBy, IReadOnlyList<ParsedItem> Items);
