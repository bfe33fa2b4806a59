using System.Diagnostics;
using Supervision.LocalHost.Tooling;
using Supervision.Testing;
using Supervision.Trainer;

namespace Supervision.LocalHost.Tests;

/// <summary>The local host keeps the Azurite it started running, and says so when it had to restart it.</summary>
public class AzuriteRestartTests
{
    [Fact]
    public async Task OwnedAzurite_KilledWhileHostRuns_IsRestartedAndHostRecovers()
    {
        var root = ModelPaths.FindRepositoryRoot();
        var data = Path.Combine(Path.GetTempPath(), "supervision-azurite-" + Guid.NewGuid().ToString("N"));
        var ports = AzuriteProcess.FreePorts(3);
        var written = new StringWriter();
        var console = TextWriter.Synchronized(written);
        var azurite = await AzuriteProcess.StartAsync(root, data, ports[0], ports[1], ports[2], console);
        var host = await TestLocalHost.StartAsync(
            azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: false, ownedAzurite: azurite);
        try
        {
            Assert.Equal(200, (await host.SendAsync(HttpMethod.Get, "api/health", token: null)).Status);

            // Azurite saves its database every 5 seconds; a kill before that would lose the queues the
            // start created, and health would rightly stay unhealthy.
            await Task.Delay(TimeSpan.FromSeconds(6));
            var killed = azurite.ProcessId!.Value;
            using (var node = Process.GetProcessById(killed))
            {
                node.Kill();
                await node.WaitForExitAsync();
            }

            var (status, _) = await Eventually.GetAsync(
                () => host.SendAsync(HttpMethod.Get, "api/health", token: null),
                r => r.Status == 200 && azurite.ProcessId is { } restarted && restarted != killed,
                TimeSpan.FromSeconds(90),
                "the host to see storage again after the restart");

            Assert.Equal(200, status);
            string said;
            lock (console)
            {
                said = written.ToString();
            }

            Assert.Contains("Azurite 意外退出", said, StringComparison.Ordinal);
            Assert.Contains("Azurite exited unexpectedly", said, StringComparison.Ordinal);
            Assert.Contains("Azurite restarted", said, StringComparison.Ordinal);
        }
        finally
        {
            await host.DisposeAsync();
            await azurite.DisposeAsync();
            Directory.Delete(data, recursive: true);
        }
    }
}
