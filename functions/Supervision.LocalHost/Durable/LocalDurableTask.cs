using DurableTask.AzureStorage;
using DurableTask.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.DurableTask.Client;
using Microsoft.DurableTask.Testing.Sidecar;
using Microsoft.DurableTask.Testing.Sidecar.Grpc;
using Microsoft.DurableTask.Worker;
using Supervision.LocalHost.Triggers;

namespace Supervision.LocalHost.Durable;

/// <summary>
/// Durable orchestrations as the Functions host serves them to isolated workers: a Durable Task
/// gRPC sidecar over the Azure Storage backend (here, Azurite), with the SDK's gRPC worker and
/// client in the same process. State lives in storage, so pending reviews survive a restart.
/// <c>Durable:Backend=InMemory</c> runs the sidecar's in-process engine instead.
/// </summary>
public static class LocalDurableTask
{
    /// <summary>The setting that picks the Durable backend: <c>AzureStorage</c> (the default) or <c>InMemory</c>.</summary>
    public const string BackendSetting = "Durable:Backend";

    public static WebApplicationBuilder AddLocalDurableTask(
        this WebApplicationBuilder builder, string storageConnectionString, string taskHubName, int sidecarPort)
    {
        var backend = builder.Configuration[BackendSetting] ?? "AzureStorage";
        if (string.Equals(backend, "InMemory", StringComparison.OrdinalIgnoreCase))
        {
            // The sidecar's own engine with its state in this process: reviews do not survive a
            // restart. For demonstrations and for measuring the engine without the storage
            // emulator, whose table queries read every row of a table (see README, Benchmarks).
            builder.Services.AddSingleton(services => new InMemoryOrchestrationService(services.GetRequiredService<ILoggerFactory>()));
            // Work items mostly wait on storage and on the worker, so more than one per core
            // are in flight: as many as the Azure Storage backend allows by default.
            builder.Services.AddSingleton<IOrchestrationService>(services => new SidecarOrchestrationService(
                services.GetRequiredService<InMemoryOrchestrationService>(), maxConcurrentWorkItems: 100));
            builder.Services.AddSingleton<IOrchestrationServiceClient>(
                services => services.GetRequiredService<InMemoryOrchestrationService>());
        }
        else if (string.Equals(backend, "AzureStorage", StringComparison.OrdinalIgnoreCase))
        {
            AddAzureStorageBackend(builder, storageConnectionString, taskHubName);
        }
        else
        {
            throw new InvalidOperationException($"{BackendSetting} is '{backend}'; it must be AzureStorage or InMemory.");
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(System.Net.IPAddress.Loopback, sidecarPort, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton<TaskHubGrpcServer>();

        // Separate channels: the worker starts before Kestrel listens, so its first connection
        // fails and its channel backs off; a client sharing that channel failed fast meanwhile.
        var address = $"http://127.0.0.1:{sidecarPort}";
        builder.Services.AddDurableTaskWorker(worker =>
        {
            worker.UseGrpc(GrpcChannel.ForAddress(address));
            worker.AddTasks(registry =>
            {
                foreach (var orchestrator in LocalFunctions.Orchestrators)
                {
                    registry.AddOrchestrator(orchestrator);
                }

                foreach (var activity in LocalFunctions.Activities)
                {
                    registry.AddActivity(activity);
                }
            });
        });
        builder.Services.AddDurableTaskClient(client => client.UseGrpc(GrpcChannel.ForAddress(address)));
        return builder;
    }

    private static void AddAzureStorageBackend(WebApplicationBuilder builder, string storageConnectionString, string taskHubName)
    {
        var settings = new AzureStorageOrchestrationServiceSettings
        {
            StorageAccountClientProvider = new StorageAccountClientProvider(storageConnectionString),
            TaskHubName = taskHubName,
            // One partition is plenty for one local process and keeps Azurite's load low.
            PartitionCount = 1,
            MaxQueuePollingInterval = TimeSpan.FromSeconds(1),

            // A process killed without shutting down leaves its partition claimed under its worker
            // id. With the machine name alone, the restarted process took that claim for its own
            // draining one and stalled; a per-process id makes it take the partition over once the
            // dead owner's claim expires.
            WorkerId = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}",

            // After a crash the next start waits for the dead claim to expire; half the default
            // keeps that wait short for one local process without renewing more often than needed.
            LeaseInterval = TimeSpan.FromSeconds(15),
            LeaseRenewInterval = TimeSpan.FromSeconds(5),
            LeaseAcquireInterval = TimeSpan.FromSeconds(5),

            // Work interrupted by a stop or crash comes back when its message becomes visible
            // again; the default five minutes made a decision taken just before a restart wait
            // that long. Messages being processed are renewed, so this only bounds the wait.
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(30),
            WorkItemQueueVisibilityTimeout = TimeSpan.FromSeconds(30),
        };

        builder.Services.AddSingleton(services =>
        {
            // The backend logs only through the factory in its settings.
            settings.LoggerFactory = services.GetRequiredService<ILoggerFactory>();
            return new AzureStorageOrchestrationService(settings);
        });
        builder.Services.AddSingleton(
            services => new SidecarOrchestrationService(services.GetRequiredService<AzureStorageOrchestrationService>()));
        builder.Services.AddSingleton<IOrchestrationService>(services => services.GetRequiredService<SidecarOrchestrationService>());
        builder.Services.AddSingleton<IOrchestrationServiceClient>(
            services => services.GetRequiredService<AzureStorageOrchestrationService>());
        builder.Services.AddHostedService(services => new TaskHubLifetime(
            services.GetRequiredService<AzureStorageOrchestrationService>(), services.GetRequiredService<SidecarOrchestrationService>()));
    }

    public static WebApplication MapLocalDurableTask(this WebApplication app, int sidecarPort)
    {
        app.MapGrpcService<TaskHubGrpcServer>().RequireHost($"*:{sidecarPort}");
        return app;
    }

    /// <summary>
    /// Creates the task hub's queues, tables and containers before the dispatchers start, and
    /// stops the backend with the host. The sidecar's own graceful stop waits for work items
    /// the departing worker abandoned and never finishes, holding the partition lease while the
    /// process lives; a forced stop releases it. Unfinished work is not lost: its messages become
    /// visible again after the control queue's visibility timeout.
    /// </summary>
    private sealed class TaskHubLifetime(AzureStorageOrchestrationService service, SidecarOrchestrationService dispatched) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => service.CreateIfNotExistsAsync();

        public Task StopAsync(CancellationToken cancellationToken) => dispatched.StopAsync(isForced: true);
    }
}
