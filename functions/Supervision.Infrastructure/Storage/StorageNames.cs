namespace Supervision.Infrastructure.Storage;

/// <summary>Every queue, table and container Supervision uses, named once.</summary>
public static class StorageNames
{
    /// <summary>The app setting that names the storage account, as in Azure Functions.</summary>
    public const string ConnectionSetting = "AzureWebJobsStorage";

    public static class Queues
    {
        public const string ItemsToScore = "items-to-score";
        public const string Alerts = "alerts";

        /// <summary>"Reassess enterprise X": scoring, the inbox and reviews → portraits.</summary>
        public const string EnterprisesToReassess = "enterprises-to-reassess";

        /// <summary>"Enterprise flagged": portraits → reviews, the only stage that opens cases.</summary>
        public const string EnterprisesFlagged = "enterprises-flagged";

        /// <summary>A closed review's feedback on its evidence: reviews → ingestion (the item ledger).</summary>
        public const string SignalFeedback = "signal-feedback";

        /// <summary>"Pull source X now": the PullFeeds timer → PullSource, one message per due source (ingestion only).</summary>
        public const string SourcesToPull = "sources-to-pull";

        /// <summary>Every queue a handler reads, in pipeline order.</summary>
        public static readonly string[] All =
            [SourcesToPull, ItemsToScore, EnterprisesToReassess, EnterprisesFlagged, SignalFeedback, Alerts];

        /// <summary>Where a message goes after failing maxDequeueCount times (the Functions convention).</summary>
        public static string PoisonOf(string queue) => queue + "-poison";
    }

    public static class Tables
    {
        public const string SeenItems = "seenitems";
        public const string SourceCursors = "sourcecursors";
        public const string Enterprises = "enterprises";
        public const string Signals = "signals";
        public const string UnlinkedMentions = "unlinkedmentions";
        public const string Portraits = "portraits";
        public const string PortraitHistory = "portraithistory";
        public const string Cases = "cases";
        public const string Decisions = "decisions";
        public const string Measures = "measures";
        public const string Alerts = "alerts";
        public const string Audit = "audit";
        public const string Quarantine = "quarantine";
        public const string MessageFailures = "messagefailures";
        public const string Sources = "sources";
        public const string Stories = "stories";
        public const string InboxFiles = "inboxfiles";
        public const string CreditRecords = "creditrecords";

        /// <summary>Which portraits change by themselves on which day: the portraits stage's, for its daily reassessment.</summary>
        public const string PortraitsDue = "portraitsdue";

        /// <summary>Keys the deployment made for itself (the paging tokens' signing key): first writer wins.</summary>
        public const string Keys = "keys";

        /// <summary>Each audit chain's last verified entry, so verification reads only what was appended since.</summary>
        public const string AuditCheckpoints = "auditcheckpoints";

        /// <summary>The caller directory: which enterprise or institution a user's object id or a client's app id speaks for.</summary>
        public const string CallerDirectory = "callerdirectory";

        /// <summary>Items handed to scoring whose message has not reached the scorer yet (<c>ScoringOutbox</c>).</summary>
        public const string ScoringOutbox = "scoringoutbox";

        /// <summary>Each source's record hour by hour (<c>SourceHistory</c>): volume, delay, freshness, trust.</summary>
        public const string SourceHistory = "sourcehistory";

        public static readonly string[] All =
        [
            SeenItems, SourceCursors, Enterprises, Signals, UnlinkedMentions, Portraits, PortraitHistory,
            Cases, Decisions, Measures, Alerts, Audit, Quarantine, MessageFailures, Sources, Stories, InboxFiles, CreditRecords,
            PortraitsDue,
            Keys, AuditCheckpoints, CallerDirectory, ScoringOutbox, SourceHistory,
        ];
    }

    public static class Containers
    {
        public const string Raw = "raw";
        public const string Quarantine = "quarantine";

        /// <summary>Where pushing sources deliver batch files, under <c>{sourceId}/</c>; moved to <see cref="Taken"/> once taken.</summary>
        public const string Inbox = "inbox";

        /// <summary>
        /// Inbox files once taken, moved out so that a scan lists only new ones:
        /// <c>{sourceId}/{delivery day}/{file}</c> with <c>{file}.errors.json</c> beside it.
        /// </summary>
        public const string Taken = "taken";

        /// <summary>
        /// Published models: <c>{model}/{version}/model.zip</c> and model-card.json, and <c>manifest.json</c> naming the
        /// versions in force.
        /// </summary>
        public const string Models = "models";

        /// <summary>Each joint review's case file as opened: <c>{caseId}/{opened}.json</c>.</summary>
        public const string CaseFiles = "casefiles";

        public static readonly string[] All = [Raw, Quarantine, Inbox, Models, CaseFiles, Taken];
    }
}
