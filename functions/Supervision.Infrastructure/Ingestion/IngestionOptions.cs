namespace Supervision.Infrastructure.Ingestion;

/// <summary>Settings of the ingestion stage (section "Ingestion").</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>The JSON file that seeds the source registry (see functions/demo/sources.json).</summary>
    public string SourcesFile { get; set; } = string.Empty;

    /// <summary>Feeds larger than this are quarantined unread; no real feed comes near it.</summary>
    public long MaxFeedBytes { get; set; } = 8 * 1024 * 1024;

    public TimeSpan FetchTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// One whole pull of one source (every page); the source's lease lasts 30 s longer. Below the local
    /// host's two-minute message lease, so a slow pull is not handed to a second listener meanwhile.
    /// </summary>
    public TimeSpan PullTimeout { get; set; } = TimeSpan.FromSeconds(80);

    /// <summary>How early a FEED_PULL_SCHEDULE tick may wake and still take its occurrence (see <see cref="PullDue"/>).</summary>
    public TimeSpan DueTolerance { get; set; } = PullDue.DefaultTolerance;

    /// <summary>
    /// How long a source's enqueued pull may stay unfinished before the timer presumes its message lost
    /// (a crash between claim and send, a poisoned message) and enqueues another. Until then the timer
    /// coalesces: it enqueues nothing more for the source. Well above the pull's timeout and its lease,
    /// so a busy queue's wait, not only the pull, fits inside it.
    /// </summary>
    public TimeSpan PendingPullExpiry { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long a PullFeeds tick goes on claiming batches of due sources; the sources it did not reach
    /// stay due and the next tick takes them first. Below the finest tick period (a second), so a tick
    /// on a saturated storage ends before the next one instead of running into it.
    /// </summary>
    public TimeSpan TickBudget { get; set; } = TimeSpan.FromMilliseconds(800);

    /// <summary>Cap on bytes after decompression (gzip bodies, zipped GDELT files): a zip bomb stops here.</summary>
    public long MaxDecompressedBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>Cap on one pushed inbox file.</summary>
    public long MaxInboxFileBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Paged JSON sources: the most pages read in one pull, so one source cannot starve the rest.</summary>
    public int MaxPagesPerPull { get; set; } = 50;

    /// <summary>How far back near-duplicate detection looks: reposts of a story come within days.</summary>
    public TimeSpan StoryWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How many item writes run at once; Table and Queue round trips dominate ingestion.</summary>
    public int WriteConcurrency { get; set; } = 32;
}
