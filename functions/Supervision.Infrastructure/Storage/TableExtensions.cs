using Azure;
using Azure.Data.Tables;

namespace Supervision.Infrastructure.Storage;

/// <summary>Small helpers for the insert-once and read-or-null patterns every store here uses.</summary>
public static class TableExtensions
{
    /// <summary>Inserts the entity unless one with its keys exists. True when this call inserted it.</summary>
    public static async Task<bool> TryAddAsync(this TableClient table, ITableEntity entity, CancellationToken cancellationToken = default)
    {
        try
        {
            await table.AddEntityAsync(entity, cancellationToken);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    public static async Task<T?> FindAsync<T>(
        this TableClient table,
        string partitionKey,
        string rowKey,
        CancellationToken cancellationToken = default)
        where T : class, ITableEntity
    {
        var response = await table.GetEntityIfExistsAsync<T>(partitionKey, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>
    /// Row keys may not contain '/', '\', '#', '?' or control characters; ids from third parties can.
    /// </summary>
    public static string SafeKey(string value)
    {
        var chars = value.Select(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c) ? '_' : c).ToArray();
        return new string(chars);
    }
}
