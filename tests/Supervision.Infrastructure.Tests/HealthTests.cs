using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Health;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Storage;
using Supervision.LocalHost.Tooling;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

public class HealthTests
{
    [Fact]
    public async Task Health_StorageUnreachable_IsUnhealthyWithTheReason()
    {
        // A port nobody listens on: what a stopped Azurite looks like.
        var port = AzuriteProcess.FreePort();
        var connection = AzuriteProcess.ConnectionStringFor(port, port, port);
        var services = new ServiceCollection();
        services.AddLogging();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                [StorageNames.ConnectionSetting] = connection,
                ["Scoring:ModelDirectory"] = TestModel.Directory,
            })
            .Build();
        services.AddSupervision(configuration);
        await using var provider = services.BuildServiceProvider();

        var response = await provider.GetRequiredService<HealthRoutes>().HealthAsync(provider, CancellationToken.None);

        Assert.Equal(503, response.Status);
        using var body = JsonDocument.Parse(response.BodyJson());
        Assert.StartsWith("unreachable", body.RootElement.GetProperty("storage").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("polarity-en-", body.RootElement.GetProperty("model").GetString(), StringComparison.Ordinal);
    }
}
