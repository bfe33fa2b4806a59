namespace Supervision.Domain.Ingestion;

/// <summary>
/// One item from a third-party feed after parsing: the unit that is queued, scored and linked.
/// <paramref name="RawSha256"/> names the archived bytes it came from, so every later decision
/// can be traced back to them.
/// </summary>
public sealed record NormalisedItem(
    string ItemId,
    string SourceId,
    string Title,
    string Summary,
    string? Link,
    DateTimeOffset? PublishedAt,
    string RawSha256,
    DateTimeOffset ReceivedAt)
{
    /// <summary>
    /// The identity of an item within its source: the publisher's guid when it has one, else
    /// its link, else its title. Stable across re-reads, so a re-delivered feed yields the same ids.
    /// </summary>
    public static string IdentityFor(string sourceId, string? publisherId, string? link, string title) =>
        ContentHash.Sha256Hex($"{sourceId}\n{FirstNonBlank(publisherId, link, title)}")[..32];

    public string Text => string.IsNullOrWhiteSpace(Summary) ? Title : $"{Title}\n{Summary}";

    /// <summary>Organisations the source itself names (GDELT, JSON APIs); linked by name rather than by text.</summary>
    public IReadOnlyList<string> Organisations { get; init; } = [];

    /// <summary>The source's own tone, when it measures one (GDELT V1.5TONE, about -10 to +10).</summary>
    public double? Tone { get; init; }

    /// <summary>The story this item opened; its reach grows as other outlets repeat it.</summary>
    public string? StoryId { get; init; }

    private static string FirstNonBlank(params string?[] candidates) =>
        candidates.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c))?.Trim() ?? string.Empty;
}
