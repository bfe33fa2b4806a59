using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;

namespace Supervision.Infrastructure.Storage;

/// <summary>
/// The storage account's three services, created once and shared (the clients are thread-safe).
/// Reads the same setting as the Functions host: a connection string in AzureWebJobsStorage
/// (Azurite locally), or identity-based AzureWebJobsStorage__*ServiceUri settings in Azure.
/// </summary>
public sealed class SupervisionStorage
{
    public SupervisionStorage(BlobServiceClient blobs, QueueServiceClient queues, TableServiceClient tables)
    {
        Blobs = blobs;
        Queues = queues;
        Tables = tables;
    }

    public BlobServiceClient Blobs { get; }

    public QueueServiceClient Queues { get; }

    public TableServiceClient Tables { get; }

    public static SupervisionStorage FromConfiguration(IConfiguration configuration)
    {
        var connectionString = configuration[StorageNames.ConnectionSetting];
        // Functions encodes queue messages as base64 by default; matching it lets the local host
        // and the Functions app read each other's messages.
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return new SupervisionStorage(
                new BlobServiceClient(connectionString),
                new QueueServiceClient(connectionString, queueOptions),
                new TableServiceClient(connectionString));
        }

        var section = configuration.GetSection(StorageNames.ConnectionSetting);
        var clientId = section["clientId"];
        TokenCredential credential = string.IsNullOrWhiteSpace(clientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
        Uri Endpoint(string key) => Uri.TryCreate(section[key], UriKind.Absolute, out var uri)
            ? uri
            : throw new InvalidOperationException(
                $"Set {StorageNames.ConnectionSetting} (a connection string) or {StorageNames.ConnectionSetting}__{key}.");

        return new SupervisionStorage(
            new BlobServiceClient(Endpoint("blobServiceUri"), credential),
            new QueueServiceClient(Endpoint("queueServiceUri"), credential, queueOptions),
            new TableServiceClient(Endpoint("tableServiceUri"), credential));
    }

    public TableClient Table(string name) => Tables.GetTableClient(name);

    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    public BlobContainerClient Container(string name) => Blobs.GetBlobContainerClient(name);

    /// <summary>Creates every queue, table and container if missing. Safe to run on every start.</summary>
    public async Task EnsureCreatedAsync(CancellationToken cancellationToken = default)
    {
        var work = new List<Task>();
        work.AddRange(StorageNames.Tables.All.Select(t => Tables.CreateTableIfNotExistsAsync(t, cancellationToken)));
        work.AddRange(StorageNames.Containers.All.Select(c => Container(c).CreateIfNotExistsAsync(cancellationToken: cancellationToken)));
        foreach (var queue in StorageNames.Queues.All)
        {
            work.Add(Queue(queue).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
            work.Add(Queue(StorageNames.Queues.PoisonOf(queue)).CreateIfNotExistsAsync(cancellationToken: cancellationToken));
        }

        await Task.WhenAll(work);
    }
}
