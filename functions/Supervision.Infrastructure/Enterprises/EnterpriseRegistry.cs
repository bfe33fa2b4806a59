using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Enterprises;

namespace Supervision.Infrastructure.Enterprises;

/// <summary>How much of storage this instance's registry has read: change-log lines, enterprise rows, whole reloads.</summary>
public sealed record EnterpriseRegistryReads(long ChangeLines, long Enterprises, long FullLoads);

/// <summary>
/// The enterprises under supervision, in Table storage, and this instance's in-memory name index
/// over them (text linking needs every name at hand). The index is loaded whole once; after that
/// it follows the registry's change log (<see cref="EnterpriseTable"/>): every
/// <see cref="EnterpriseRegistryOptions.RefreshEvery"/> it reads the log lines written since its
/// last read, less <see cref="EnterpriseRegistryOptions.ChangeOverlap"/> for writers whose clocks
/// run behind, re-reads the row of each enterprise named by a line it has not applied yet, and
/// adds, replaces or drops that enterprise alone. Applying a line means "take the row as it is now",
/// so a line read twice, or out of order, changes nothing more.
/// </summary>
public sealed partial class EnterpriseRegistry(
    EnterpriseTable table,
    IOptions<EnterpriseRegistryOptions> options,
    TimeProvider time,
    ILogger<EnterpriseRegistry> logger) : IDisposable
{
    private const int ReadConcurrency = 8;
    private readonly EnterpriseLinker linker = new();
    private readonly SemaphoreSlim refresh = new(1, 1);

    // Lines already applied that the next read may return again (it starts ChangeOverlap before the last one).
    private readonly HashSet<string> applied = new(StringComparer.Ordinal);
    private volatile bool loaded;
    private long lastReadTicks;
    private DateTimeOffset lastPruned;
    private long changeLinesRead;
    private long enterprisesRead;
    private long fullLoads;

    public EnterpriseRegistryReads Reads =>
        new(Interlocked.Read(ref changeLinesRead), Interlocked.Read(ref enterprisesRead), Interlocked.Read(ref fullLoads));

    private EnterpriseRegistryOptions Options => options.Value;

    private DateTimeOffset LastRead => new(Interlocked.Read(ref lastReadTicks), TimeSpan.Zero);

    public void Dispose()
    {
        refresh.Dispose();
        linker.Dispose();
    }

    /// <summary>
    /// Imports a registry CSV (see <see cref="EnterpriseCsv"/>): each good row replaces the enterprise
    /// with its code, unless the stored row already says the same, so re-importing an unchanged file
    /// (every start does) writes and logs nothing. Enterprises absent from the file are left as they are.
    /// The stored rows are read once, in one query of the partition; a crashed import run again
    /// writes what it had not written yet.
    /// </summary>
    public async Task<ImportReport> ImportCsvAsync(string path, CancellationToken cancellationToken)
    {
        var read = EnterpriseCsv.Read(path);
        var stored = (await table.ReadAllAsync(cancellationToken)).ToDictionary(e => e.Uscc, StringComparer.Ordinal);
        // Operators' added aliases are not the file's to drop: each enterprise keeps its stored ones.
        var last = read.Enterprises.GroupBy(e => e.Uscc, StringComparer.Ordinal).Select(g => g.Last())
            .Select(e => stored.TryGetValue(e.Uscc, out var was) ? e with { AddedAliases = was.AddedAliases } : e)
            .ToList();
        var changed = last.Where(e => !stored.TryGetValue(e.Uscc, out var was) || !EnterpriseEntity.SameRow(was, e)).ToList();
        await UpsertAsync(changed, cancellationToken);
        foreach (var reason in read.Rejected)
        {
            logger.LogWarning("Enterprise row rejected: {Reason}", reason);
        }

        foreach (var reason in read.Flagged)
        {
            logger.LogWarning("Enterprise row imported with a flagged code: {Reason}", reason);
        }

        return new ImportReport(read.Enterprises.Count, read.Rejected)
        {
            Flagged = read.Flagged,
            Written = changed.Count,
            Unchanged = last.Count - changed.Count,
        };
    }

    /// <summary>Writes enterprises, each replacing the one with its code (a rename is a write); others follow by the log.</summary>
    public async Task UpsertAsync(IReadOnlyList<Enterprise> enterprises, CancellationToken cancellationToken)
    {
        var lines = await table.WriteAsync(enterprises, time, cancellationToken);
        await ApplyOwnAsync(lines, () => enterprises.ToList().ForEach(linker.Upsert), cancellationToken);
    }

    /// <summary>Removes an enterprise from the registry; false if it was not there.</summary>
    public async Task<bool> RemoveAsync(string uscc, CancellationToken cancellationToken)
    {
        var line = await table.RemoveAsync(uscc, time.GetUtcNow(), cancellationToken);
        if (line is null)
        {
            return false;
        }

        await ApplyOwnAsync([line], () => linker.Remove(uscc), cancellationToken);
        return true;
    }

    public async Task<Enterprise?> FindAsync(string uscc, CancellationToken cancellationToken)
    {
        await FreshAsync(cancellationToken);
        return linker.Find(uscc);
    }

    public async Task<EnterpriseLinker> LinkerAsync(CancellationToken cancellationToken)
    {
        await FreshAsync(cancellationToken);
        return linker;
    }

    /// <summary>This instance's own writes reach its index at once, not one refresh later.</summary>
    private async Task ApplyOwnAsync(IReadOnlyList<string> lines, Action apply, CancellationToken cancellationToken)
    {
        if (!loaded)
        {
            return; // the first load reads them
        }

        await refresh.WaitAsync(cancellationToken);
        try
        {
            apply();
            applied.UnionWith(lines);
        }
        finally
        {
            refresh.Release();
        }
    }

    private async Task FreshAsync(CancellationToken cancellationToken)
    {
        if (loaded && time.GetUtcNow() - LastRead < Options.RefreshEvery)
        {
            return;
        }

        // While one caller refreshes, the others go on with the index as it is, unless there is none yet.
        if (!await refresh.WaitAsync(loaded ? TimeSpan.Zero : Timeout.InfiniteTimeSpan, cancellationToken))
        {
            return;
        }

        try
        {
            var now = time.GetUtcNow();
            if (loaded && now - LastRead < Options.RefreshEvery)
            {
                return;
            }

            // Lines older than ChangeRetention may be pruned by now: the log no longer covers the gap.
            if (!loaded || now - LastRead > Options.ChangeRetention / 2)
            {
                await LoadAllAsync(now, cancellationToken);
            }
            else
            {
                await ApplyChangesAsync(now, cancellationToken);
            }

            await PruneIfDueAsync(now, cancellationToken);
        }
        finally
        {
            refresh.Release();
        }
    }

    private async Task LoadAllAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        // Read before the rows: any line seen here has its write in the rows read next, so the
        // first refresh need not apply it again.
        var recent = await table.ChangesAfterAsync(EnterpriseTable.PositionAt(now - Options.ChangeOverlap), cancellationToken);
        var all = await table.ReadAllAsync(cancellationToken);
        var codes = all.Select(e => e.Uscc).ToHashSet(StringComparer.Ordinal);
        all.ForEach(linker.Upsert);
        foreach (var gone in linker.Codes().Where(c => !codes.Contains(c)))
        {
            linker.Remove(gone);
        }

        applied.Clear();
        applied.UnionWith(recent.Select(l => l.Key));
        Interlocked.Add(ref changeLinesRead, recent.Count);
        Interlocked.Add(ref enterprisesRead, all.Count);
        Interlocked.Increment(ref fullLoads);
        Interlocked.Exchange(ref lastReadTicks, now.UtcTicks);
        loaded = true;
        logger.LogInformation("Enterprise registry loaded whole: {Count} enterprises", all.Count);
    }

    private async Task ApplyChangesAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var lines = await table.ChangesAfterAsync(EnterpriseTable.PositionAt(LastRead - Options.ChangeOverlap), cancellationToken);
        Interlocked.Add(ref changeLinesRead, lines.Count);
        var fresh = lines.Where(l => !applied.Contains(l.Key)).ToList();
        var codes = fresh.Select(l => l.Uscc).Distinct(StringComparer.Ordinal).ToList();
        if (codes.Count > Options.FullReloadAbove)
        {
            await LoadAllAsync(now, cancellationToken);
            return;
        }

        // Each row as it is now: the write a line announces, or a later one.
        var current = new Enterprise?[codes.Count];
        await Parallel.ForAsync(
            0,
            codes.Count,
            new ParallelOptions { MaxDegreeOfParallelism = ReadConcurrency, CancellationToken = cancellationToken },
            async (i, ct) => current[i] = await table.FindAsync(codes[i], ct));
        for (var i = 0; i < codes.Count; i++)
        {
            if (current[i] is { } enterprise)
            {
                linker.Upsert(enterprise);
            }
            else
            {
                linker.Remove(codes[i]);
            }
        }

        Interlocked.Add(ref enterprisesRead, codes.Count);
        applied.UnionWith(fresh.Select(l => l.Key));
        var nextFrom = EnterpriseTable.PositionAt(now - Options.ChangeOverlap);
        applied.RemoveWhere(key => string.CompareOrdinal(key, nextFrom) <= 0);
        Interlocked.Exchange(ref lastReadTicks, now.UtcTicks);
        if (codes.Count > 0)
        {
            logger.LogInformation("Enterprise registry: {Count} changed enterprises applied from the change log", codes.Count);
        }
    }

    private async Task PruneIfDueAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var every = TimeSpan.FromTicks(Math.Min(TimeSpan.FromHours(1).Ticks, Options.ChangeRetention.Ticks / 4));
        if (now - lastPruned < every)
        {
            return;
        }

        lastPruned = now;
        try
        {
            var pruned = await table.PruneChangesAsync(EnterpriseTable.PositionAt(now - Options.ChangeRetention), cancellationToken);
            if (pruned > 0)
            {
                logger.LogInformation(
                    "Enterprise change log: {Count} lines older than {Retention} pruned", pruned, Options.ChangeRetention);
            }
        }
        catch (Azure.RequestFailedException e)
        {
            // Pruning is housekeeping: the next due refresh tries again, and reading goes on meanwhile.
            logger.LogWarning(e, "Enterprise change log could not be pruned");
        }
    }
}

/// <summary>
/// What an import did: <see cref="Imported"/> good rows read; of the enterprises they name (a code on several
/// rows is one enterprise, its last row standing), <see cref="Written"/> were new or changed and
/// <see cref="Unchanged"/> were already stored as they are.
/// </summary>
public sealed record ImportReport(int Imported, IReadOnlyList<string> Rejected)
{
    /// <summary>Rows imported whose code is a legacy pilot code failing its check character.</summary>
    public IReadOnlyList<string> Flagged { get; init; } = [];

    /// <summary>Enterprises whose stored row already matched their row in the file: neither written nor logged.</summary>
    public int Unchanged { get; init; }

    /// <summary>Enterprises written, each with its change-log line: new ones and changed ones.</summary>
    public int Written { get; init; }
}
