namespace Supervision.Domain.Ingestion;

/// <summary>
/// What a source's record shows, counted from the per-item ledger: how much it sends, how late,
/// how much of it repeats others, how much concerns registered enterprises, how much of it had
/// to be quarantined, and how often reviews bore its signals out.
/// </summary>
public sealed record SourceStatistics(
    string SourceId,
    int Items,
    int ExactDuplicates,
    int NearDuplicates,
    int Linked,
    int Unlinked,
    double? MedianDelaySeconds,
    int Quarantined,
    int Confirmed,
    int NotConfirmed)
{
    public double DuplicateShare => Items == 0 ? 0 : (double)(ExactDuplicates + NearDuplicates) / Items;

    public double LinkedShare => Linked + Unlinked == 0 ? 0 : (double)Linked / (Linked + Unlinked);

    public double? ConfirmedShare => Confirmed + NotConfirmed == 0 ? null : (double)Confirmed / (Confirmed + NotConfirmed);

    /// <summary>Items read with invalid bytes replaced: the source sends text damaged in its encoding.</summary>
    public int InvalidBytesReplaced { get; init; }

    /// <summary>Items whose declared encoding was wrong: the source labels its text as something it is not.</summary>
    public int DeclarationWrong { get; init; }
}

/// <summary>The trust weight a source has earned, and how it was reached.</summary>
public sealed record SourceTrust(double Weight, string Explanation);

/// <summary>
/// Turns a source's declared trust and its measured record into the weight its signals carry.
/// Review outcomes move the weight the most: the declared weight acts as ten prior reviews, so a
/// new source keeps its declared weight and a source whose signals reviews keep rejecting loses
/// it. A source whose deliveries are often unreadable loses up to half.
/// </summary>
public static class SourceQuality
{
    private const double PriorReviews = 10;

    public static SourceTrust Trust(double declared, SourceStatistics stats)
    {
        var reviewed = stats.Confirmed + stats.NotConfirmed;
        var fromReviews = (declared * PriorReviews + stats.Confirmed) / (PriorReviews + reviewed);
        var deliveries = stats.Items + stats.Quarantined;
        var quarantineShare = deliveries == 0 ? 0 : (double)stats.Quarantined / deliveries;
        var weight = Math.Clamp(fromReviews * (1 - (0.5 * quarantineShare)), 0, 1);
        var explanation =
            $"declared {declared:0.00}; {stats.Confirmed} of {reviewed} reviewed signals confirmed → {fromReviews:0.00}; " +
            $"{quarantineShare:P0} of deliveries quarantined → {weight:0.00}";
        return new SourceTrust(Math.Round(weight, 4), explanation);
    }
}
