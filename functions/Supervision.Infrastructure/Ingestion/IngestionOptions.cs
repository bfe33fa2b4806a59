namespace Supervision.Infrastructure.Ingestion;

/// <summary>Settings of the ingestion stage (section "Ingestion").</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>The JSON file listing the feeds to pull (see Demo/sources.json in the local host).</summary>
    public string SourcesFile { get; set; } = string.Empty;

    /// <summary>Feeds larger than this are quarantined unread; no real feed comes near it.</summary>
    public long MaxFeedBytes { get; set; } = 8 * 1024 * 1024;

    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
