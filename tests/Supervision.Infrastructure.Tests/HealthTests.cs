using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Health;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Storage;
using Supervision.LocalHost.Tooling;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

public class HealthTests
{
    private static readonly Caller Operator = new("operator", [Roles.Operator]);

    [Fact]
    public async Task Health_StorageUnreachable_IsUnhealthyWithTheReason()
    {
        await using var provider = Unreachable();

        var response = await provider.GetRequiredService<HealthRoutes>().HealthAsync(provider, Operator, CancellationToken.None);

        Assert.Equal(503, response.Status);
        using var body = JsonDocument.Parse(response.BodyJson());
        Assert.StartsWith("unreachable", body.RootElement.GetProperty("storage").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("polarity-en-", body.RootElement.GetProperty("model").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_NotAnOperator_SaysUpOrDownOnly()
    {
        await using var provider = Unreachable();

        var response = await provider.GetRequiredService<HealthRoutes>().HealthAsync(provider, Caller.Anonymous, CancellationToken.None);

        Assert.Equal(503, response.Status);
        using var body = JsonDocument.Parse(response.BodyJson());
        Assert.Equal(["status", "checkedAt"], body.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("unhealthy", body.RootElement.GetProperty("status").GetString());
    }

    /// <summary>Services over a port nobody listens on: what a stopped Azurite looks like.</summary>
    private static ServiceProvider Unreachable()
    {
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
        return services.BuildServiceProvider();
    }
}
