namespace Supervision.Domain.Ingestion;

/// <summary>A third-party institution's feed that Supervision pulls on a schedule.</summary>
/// <param name="TrustWeight">How much a signal from this source counts, from 0 to 1.</param>
public sealed record FeedSource(string Id, string Name, Uri Url, double TrustWeight);
