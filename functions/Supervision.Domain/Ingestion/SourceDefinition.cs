namespace Supervision.Domain.Ingestion;

/// <summary>What kind of third-party institution a source is.</summary>
public enum SourceKind
{
    PublicOpinionMonitor,
    NewsFeed,
    ComplaintPlatform,
    CreditBureau,
    TradeAssociation,
    GovernmentRecord,
}

/// <summary>How a source's bytes are laid out, which decides the reader.</summary>
public enum SourceFormat
{
    /// <summary>RSS 0.9x/1.0/2.0 or Atom, pulled.</summary>
    Feed,

    /// <summary>One JSON object per line, pulled.</summary>
    JsonLines,

    /// <summary>A JSON page of items with a cursor to the next page, pulled page by page.</summary>
    JsonPaged,

    /// <summary>GDELT 2.1 Global Knowledge Graph files (tab-separated, optionally zipped), pulled.</summary>
    GdeltGkg,

    /// <summary>Enterprise credit scores (USCC, score, grade, as-of date, model version), pushed to the inbox as CSV or JSON.</summary>
    CreditScores,

    /// <summary>Trade-association ratings (USCC, AAA…C, industry, valid until), pushed to the inbox as CSV or JSON.</summary>
    AssociationRatings,

    /// <summary>
    /// Authorities' records (administrative penalties, abnormal-operation and serious-violation
    /// listings), pushed to the inbox as CSV or JSON.
    /// </summary>
    GovernmentRecords,
}

/// <summary>Where a JSON source keeps each field of an item; dotted paths reach into objects.</summary>
public sealed record JsonFieldMap
{
    public string Id { get; init; } = "id";

    public string Title { get; init; } = "title";

    public string Text { get; init; } = "text";

    public string Link { get; init; } = "url";

    public string PublishedAt { get; init; } = "published_at";

    public string Organisations { get; init; } = "organisations";

    /// <summary>Paged JSON: the array of items in a page.</summary>
    public string Items { get; init; } = "items";

    /// <summary>Paged JSON: the cursor of the next page; absent or null on the last page.</summary>
    public string NextCursor { get; init; } = "next_cursor";

    /// <summary>Paged JSON: the query parameter that carries the cursor.</summary>
    public string CursorParameter { get; init; } = "cursor";
}

/// <summary>
/// One third-party institution as the registry describes it. A pulled source has a URL and a
/// schedule; a pushed one delivers files to <c>inbox/{Id}/</c>. The credential is never stored
/// here, only the name of the setting (a Key Vault reference in Azure) that holds it.
/// </summary>
/// <param name="TrustWeight">How much a signal from this source counts before its record is measured, from 0 to 1.</param>
public sealed record SourceDefinition(string Id, string Name, SourceKind Kind, SourceFormat Format, double TrustWeight)
{
    public Uri? Url { get; init; }

    /// <summary>Six-field cron (seconds first) saying how often to pull; every five minutes when absent.</summary>
    public string? Schedule { get; init; }

    /// <summary>The app setting holding the credential, sent as a bearer token (or in <see cref="CredentialHeader"/>).</summary>
    public string? CredentialSetting { get; init; }

    public string? CredentialHeader { get; init; }

    /// <summary>The encoding the source is known to use when it declares none.</summary>
    public string? Encoding { get; init; }

    public JsonFieldMap? Fields { get; init; }

    /// <summary>
    /// False to stop taking input from the source while keeping it and its history; the registry
    /// records this as the source's file status (<see cref="SourceStatus"/>).
    /// </summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Why the file disables the source (with <c>"enabled": false</c>), shown to operators beside its status.</summary>
    public string? DisabledReason { get; init; }

    /// <summary>Credit bureaus: the lowest and highest score their model gives, to put scores on a 0–100 scale.</summary>
    public double ScoreMinimum { get; init; }

    public double ScoreMaximum { get; init; } = 1000;

    /// <summary>Credit bureaus: how long a score counts after its as-of date.</summary>
    public TimeSpan ScoreValidFor { get; init; } = TimeSpan.FromDays(365);

    public const string DefaultSchedule = "0 */5 * * * *";

    public bool IsPushed => Format is SourceFormat.CreditScores or SourceFormat.AssociationRatings or SourceFormat.GovernmentRecords;

    /// <summary>Everything wrong with the definition, empty when it can be used.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Id) || Id.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            problems.Add($"source id '{Id}' must be letters, digits, '-' or '_'");
        }

        if (TrustWeight is < 0 or > 1 || double.IsNaN(TrustWeight))
        {
            problems.Add($"{Id}: trust weight {TrustWeight} is not between 0 and 1");
        }

        if (!IsPushed && Url is null)
        {
            problems.Add($"{Id}: a pulled source ({Format}) needs a url");
        }

        if (IsPushed && Url is not null)
        {
            problems.Add($"{Id}: a pushed source ({Format}) delivers to its inbox and has no url");
        }

        if (Url is { } url && url.Scheme is not ("http" or "https"))
        {
            problems.Add($"{Id}: url scheme '{url.Scheme}' is not http or https");
        }

        if (CredentialSetting is { } setting && (setting.Contains(' ', StringComparison.Ordinal) || setting.Length > 128))
        {
            problems.Add($"{Id}: credentialSetting names a setting; it must not be the secret itself");
        }

        if (Enabled && DisabledReason is not null)
        {
            problems.Add($"{Id}: disabledReason is given but the source is enabled; add \"enabled\": false or remove the reason");
        }

        return problems;
    }
}
