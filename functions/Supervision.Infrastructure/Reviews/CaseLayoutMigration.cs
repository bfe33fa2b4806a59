using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

/// <summary>
/// Moves cases from the layout before partitioning (every record in partition "case", every claim
/// in "claim") to their own partitions with their index rows and counters, then deletes the old
/// rows. Runs at every start and is idempotent: a record already in the new layout is kept (and
/// saved again, which repairs its index); a crash part-way is finished by the next start. Until it
/// has finished, <see cref="CaseStore"/> also reads the old rows, so no case is missed or opened twice.
/// </summary>
public sealed class CaseLayoutMigration(SupervisionStorage storage, CaseStore cases, ILogger<CaseLayoutMigration> logger) : IHostedService
{
    public const string LegacyCasePartition = "case";
    public const string LegacyClaimPartition = "claim";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.Tables.Cases, cancellationToken);
        var moved = await MigrateAsync(cancellationToken);
        if (moved > 0)
        {
            logger.LogInformation("Moved {Count} case rows to the partitioned layout", moved);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Moves every old row; returns how many it moved. Marks the store migrated when none is left.</summary>
    public async Task<int> MigrateAsync(CancellationToken cancellationToken)
    {
        var table = storage.Table(StorageNames.Tables.Cases);
        var moved = 0;
        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {LegacyClaimPartition}"), cancellationToken: cancellationToken))
        {
            // A claim is insert-once: one already in the new layout stands.
            await table.TryAddAsync(
                new TableEntity(CaseStore.PartitionOf(row.RowKey), "claim") { ["ClaimedAt"] = row.GetDateTimeOffset("ClaimedAt") },
                cancellationToken);
            await DeleteAsync(table, row, cancellationToken);
            moved++;
        }

        await foreach (var row in table.QueryAsync<TableEntity>(
            TableClient.CreateQueryFilter($"PartitionKey eq {LegacyCasePartition}"), cancellationToken: cancellationToken))
        {
            var legacy = CaseStore.RecordOf(row);
            var current = await cases.GetAsync(legacy.CaseId, cancellationToken);
            await cases.SaveAsync(current ?? legacy, cancellationToken);
            await DeleteAsync(table, row, cancellationToken);
            moved++;
        }

        cases.LegacyMigrated = true;
        return moved;
    }

    private static async Task DeleteAsync(TableClient table, TableEntity row, CancellationToken cancellationToken)
    {
        try
        {
            await table.DeleteEntityAsync(row.PartitionKey, row.RowKey, row.ETag, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 412)
        {
            // Another instance moved it first, or an old instance rewrote it: the next start moves it again.
        }
    }
}
