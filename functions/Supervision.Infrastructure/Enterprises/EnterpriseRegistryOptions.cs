namespace Supervision.Infrastructure.Enterprises;

/// <summary>Settings of the enterprise registry (section "Enterprises").</summary>
public sealed class EnterpriseRegistryOptions
{
    public const string SectionName = "Enterprises";

    /// <summary>The registry CSV imported on every start (see <see cref="EnterpriseCsv"/>).</summary>
    public string SeedFile { get; set; } = string.Empty;

    /// <summary>How stale an instance's name index may get: how often it reads the change log.</summary>
    public TimeSpan RefreshEvery { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far before its last read an instance reads the change log again. Covers the clocks of
    /// writers running behind the reader's and writes still in flight when it last read; lines
    /// read twice are recognised and not applied again.
    /// </summary>
    public TimeSpan ChangeOverlap { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long change-log lines are kept. An instance that has not read the log for half of
    /// this reloads the whole registry instead, so it never depends on lines already pruned.
    /// </summary>
    public TimeSpan ChangeRetention { get; set; } = TimeSpan.FromDays(1);

    /// <summary>More changed enterprises than this in one refresh are cheaper to take by reloading everything.</summary>
    public int FullReloadAbove { get; set; } = 1000;
}
