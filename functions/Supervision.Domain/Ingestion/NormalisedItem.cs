using System.Text.Json.Serialization;
using Supervision.Domain.Text;

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

    /// <summary>
    /// The item as it is queued and stored: its identity and exact-duplicate key from the full
    /// values the source sent, then every field clipped to <see cref="ItemFieldLimits"/>.
    /// </summary>
    public static NormalisedItem From(string sourceId, ParsedItem parsed, string rawSha256, DateTimeOffset receivedAt) =>
        new(
            IdentityFor(sourceId, parsed.PublisherId, parsed.Link, parsed.Title),
            sourceId,
            ItemFieldLimits.Clip(parsed.Title, ItemFieldLimits.Title),
            ItemFieldLimits.Clip(parsed.Summary, ItemFieldLimits.Summary),
            ItemFieldLimits.ClipLink(parsed.Link),
            parsed.PublishedAt,
            rawSha256,
            receivedAt)
        {
            Organisations = ItemFieldLimits.ClipOrganisations(parsed.Organisations),
            Tone = parsed.Tone,
            Decoding = parsed.Decoding,
            FullTextKey = SimHash.ExactKey(TextOf(parsed.Title, parsed.Summary)),
        };

    public string Text => TextOf(Title, Summary);

    /// <summary>Organisations the source itself names (GDELT, JSON APIs); linked by name rather than by text.</summary>
    public IReadOnlyList<string> Organisations { get; init; } = [];

    /// <summary>The source's own tone, when it measures one (GDELT V1.5TONE, about -10 to +10).</summary>
    public double? Tone { get; init; }

    /// <summary>The story this item opened; its reach grows as other outlets repeat it.</summary>
    public string? StoryId { get; init; }

    /// <summary>What went wrong reading the item's bytes as text (<see cref="DecodingNotes"/> says it in words).</summary>
    public DecodingIssues Decoding { get; init; }

    /// <summary>
    /// The exact-duplicate key of the full title and summary, before clipping: known at intake,
    /// where stories are assigned, and not carried in messages.
    /// </summary>
    [JsonIgnore]
    public string? FullTextKey { get; init; }

    private static string TextOf(string title, string summary) => string.IsNullOrWhiteSpace(summary) ? title : $"{title}\n{summary}";

    private static string FirstNonBlank(params string?[] candidates) =>
        candidates.FirstOrDefault(c => !string.IsNullOrWhiteSpace(c))?.Trim() ?? string.Empty;
}
