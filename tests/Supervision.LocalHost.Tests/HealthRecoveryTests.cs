using Supervision.Domain.Security;
using Supervision.LocalHost.Tooling;
using Supervision.Testing;
using Supervision.Trainer;

namespace Supervision.LocalHost.Tests;

/// <summary>An operator sees a stopped Azurite as unhealthy, and healthy again when it returns.</summary>
public class HealthRecoveryTests
{
    [Fact]
    public async Task Health_StorageStopsAndReturns_IsUnhealthyThenRecovers()
    {
        var root = ModelPaths.FindRepositoryRoot();
        var data = Path.Combine(Path.GetTempPath(), "supervision-azurite-" + Guid.NewGuid().ToString("N"));
        var ports = AzuriteProcess.FreePorts(3);
        var (blob, queue, table) = (ports[0], ports[1], ports[2]);
        var azurite = await AzuriteProcess.StartAsync(root, data, blob, queue, table, TextWriter.Null);
        var host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: false);
        try
        {
            Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "api/health", token: null)).Status);

            await azurite.DisposeAsync();
            // The reason is a detail, shown to operators only; anyone else sees up or down.
            var (downStatus, down) = await host.SendAsync(HttpMethod.Get, "api/health", TestLocalHost.RoleToken(Roles.Operator));
            Assert.Equal(503, downStatus);
            Assert.StartsWith("unreachable", down.GetProperty("storage").GetString(), StringComparison.Ordinal);

            azurite = await AzuriteProcess.StartAsync(root, data, blob, queue, table, TextWriter.Null);
            var (upStatus, _) = await Eventually.GetAsync(
                () => host.SendAsync(HttpMethod.Get, "api/health", token: null),
                r => r.Status == 200,
                TimeSpan.FromSeconds(60),
                "health to recover");
            Assert.Equal(200, upStatus);
        }
        finally
        {
            await host.DisposeAsync();
            await azurite.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
