using System.Text.Json;
using Azure;
using Azure.Data.Tables;

namespace Supervision.Infrastructure.Storage;

/// <summary>
/// A row that stores a domain record as JSON. Records stay plain C# types; the table only
/// knows their keys. Large records are not expected: a table property holds 64 KiB.
/// </summary>
public sealed class JsonEntity : ITableEntity
{
    public JsonEntity()
    {
    }

    public JsonEntity(string partitionKey, string rowKey, string json)
    {
        PartitionKey = partitionKey;
        RowKey = rowKey;
        Json = json;
    }

    public string PartitionKey { get; set; } = string.Empty;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Json { get; set; } = "{}";

    public T Read<T>() => JsonSerializer.Deserialize<T>(Json, MessageJson.Options)
        ?? throw new InvalidDataException($"row {PartitionKey}/{RowKey} holds no {typeof(T).Name}");
}
