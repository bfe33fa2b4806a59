using System.Collections.Concurrent;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Api.Identity;

/// <summary>Which enterprise or institution a subject speaks for, if any.</summary>
public interface ICallerDirectory
{
    Task<DirectoryEntry?> FindAsync(string subject, CancellationToken cancellationToken);
}

/// <summary>
/// The caller directory in table "callerdirectory" (one row a subject, partition "subject"), kept by
/// operators. Lookups, found or not, are reused for <see cref="AuthOptions.DirectoryCacheDuration"/>,
/// so every request does not read the table; a change made through this instance is seen at once,
/// one made through another instance within that time.
/// </summary>
public sealed class CallerDirectory(SupervisionStorage storage, IOptions<AuthOptions> options, TimeProvider time) : ICallerDirectory
{
    private const string Partition = "subject";
    private readonly ConcurrentDictionary<string, (DirectoryEntry? Entry, DateTimeOffset Until)> cache = new(StringComparer.Ordinal);

    private TableClient Table => storage.Table(StorageNames.Tables.CallerDirectory);

    public async Task<DirectoryEntry?> FindAsync(string subject, CancellationToken cancellationToken)
    {
        if (!DirectoryEntry.IsSubject(subject))
        {
            return null;
        }

        var now = time.GetUtcNow();
        if (cache.TryGetValue(subject, out var cached) && cached.Until > now)
        {
            return cached.Entry;
        }

        var entry = (await ReadAsync(subject, cancellationToken))?.Entry;
        cache[subject] = (entry, now + options.Value.DirectoryCacheDuration);
        return entry;
    }

    /// <summary>The entry with who last changed it and when, read from the table (not the cache).</summary>
    public async Task<StoredDirectoryEntry?> ReadAsync(string subject, CancellationToken cancellationToken)
    {
        if (!DirectoryEntry.IsSubject(subject))
        {
            return null;
        }

        var row = await Table.GetEntityIfExistsAsync<TableEntity>(Partition, subject, cancellationToken: cancellationToken);
        return row.HasValue && row.Value is { } found
            ? new StoredDirectoryEntry(
                new DirectoryEntry(subject, found.GetString("Uscc"), found.GetString("Institution")),
                found.GetString("UpdatedBy") ?? string.Empty,
                found.GetDateTimeOffset("UpdatedAt") ?? found.Timestamp ?? DateTimeOffset.MinValue)
            : null;
    }

    /// <summary>Stores an entry (replacing the subject's earlier one); the caller checked <see cref="DirectoryEntry.Problem"/>.</summary>
    public async Task<StoredDirectoryEntry> SaveAsync(DirectoryEntry entry, string updatedBy, CancellationToken cancellationToken)
    {
        if (entry.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(entry));
        }

        var stored = new StoredDirectoryEntry(entry, updatedBy, time.GetUtcNow());
        await Table.UpsertEntityAsync(
            new TableEntity(Partition, entry.Subject)
            {
                ["Uscc"] = entry.Uscc,
                ["Institution"] = entry.Institution,
                ["UpdatedBy"] = updatedBy,
                ["UpdatedAt"] = stored.UpdatedAt,
            },
            TableUpdateMode.Replace,
            cancellationToken);
        cache.TryRemove(entry.Subject, out _);
        return stored;
    }
}

/// <summary>A directory entry as stored: who last changed it and when.</summary>
public sealed record StoredDirectoryEntry(DirectoryEntry Entry, string UpdatedBy, DateTimeOffset UpdatedAt);
