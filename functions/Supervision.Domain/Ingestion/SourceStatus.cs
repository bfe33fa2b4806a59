namespace Supervision.Domain.Ingestion;

/// <summary>What the sources file says about a source.</summary>
public enum SourceFileStatus
{
    /// <summary>In the file and enabled there.</summary>
    Listed,

    /// <summary>In the file with <c>"enabled": false</c>.</summary>
    DisabledInFile,

    /// <summary>No longer in the file: kept with its history, never deleted, but nothing is taken from it.</summary>
    MissingFromFile,
}

/// <summary>
/// A regulator's decision about the institution behind a source. Recorded by the regulators' own
/// process, never by the sources file, so applying the file cannot lift it.
/// </summary>
public enum RegulatorDecision
{
    None,
    Suspended,
    Revoked,
}

/// <summary>
/// Whether a source's input is taken, and why not. The file's say and a regulator's decision are
/// separate fields: applying the sources file changes only the first (<see cref="AfterFile"/>), so a
/// file change never overrides a suspension or revocation. A source is enabled only while both allow.
/// </summary>
/// <param name="FileSince">When the file status last changed (first seen, removed, disabled or back).</param>
public sealed record SourceStatus(
    SourceFileStatus File,
    string? FileReason,
    DateTimeOffset? FileSince,
    RegulatorDecision Regulator = RegulatorDecision.None,
    string? RegulatorReason = null,
    DateTimeOffset? RegulatorSince = null)
{
    /// <summary>A source in the file and enabled, with no regulator decision: what a source is until told otherwise.</summary>
    public static readonly SourceStatus Listed = new(SourceFileStatus.Listed, null, null);

    public const string MissingFromFileReason =
        "已从来源文件中移除，保留其历史记录 (removed from the sources file; kept with its history)";

    public const string DisabledInFileReason = "在来源文件中停用 (disabled in the sources file)";

    public bool IsEnabled => File == SourceFileStatus.Listed && Regulator == RegulatorDecision.None;

    /// <summary>Why nothing is taken from the source (both reasons when both apply); null while it is enabled.</summary>
    public string? Reason
    {
        get
        {
            var reasons = new List<string>();
            if (Regulator != RegulatorDecision.None)
            {
                reasons.Add($"监管决定 (regulator decision): {Regulator}" + (RegulatorReason is { } why ? $": {why}" : string.Empty));
            }

            if (File != SourceFileStatus.Listed)
            {
                reasons.Add(FileReason ?? File.ToString());
            }

            return reasons.Count == 0 ? null : string.Join("; ", reasons);
        }
    }

    /// <summary>The file status a source takes from the sources file at its current form.</summary>
    public static (SourceFileStatus Status, string? Reason) FromFile(SourceDefinition? entry) => entry switch
    {
        null => (SourceFileStatus.MissingFromFile, MissingFromFileReason),
        { Enabled: true } => (SourceFileStatus.Listed, null),
        { DisabledReason: { } why } => (SourceFileStatus.DisabledInFile, $"{DisabledInFileReason}: {why}"),
        _ => (SourceFileStatus.DisabledInFile, DisabledInFileReason),
    };

    /// <summary>
    /// The status after the sources file is applied: <paramref name="entry"/> is the source's entry
    /// in the file, null when it is missing. Only the file's fields change, and
    /// <see cref="FileSince"/> only when the file status does; a regulator decision stays as it was.
    /// </summary>
    public static SourceStatus AfterFile(SourceStatus? current, SourceDefinition? entry, DateTimeOffset now)
    {
        var (status, reason) = FromFile(entry);
        if (current is null)
        {
            return new SourceStatus(status, reason, now);
        }

        return current.File == status && current.FileReason == reason
            ? current
            : current with { File = status, FileReason = reason, FileSince = now };
    }
}
