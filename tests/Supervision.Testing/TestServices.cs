using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervision.Infrastructure.Enterprises;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Storage;

namespace Supervision.Testing;

/// <summary>The pipeline's real services over a test's Azurite, with the settings a test needs.</summary>
public static class TestServices
{
    public static async Task<ServiceProvider> BuildAsync(
        string connectionString,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configure = null)
    {
        var values = new Dictionary<string, string?>
        {
            [StorageNames.ConnectionSetting] = connectionString,
            ["Scoring:ModelDirectory"] = TestModel.Directory,
            ["Reviews:DecisionWindow"] = "00:10:00",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSupervision(configuration);
        configure?.Invoke(services);
        var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<SupervisionStorage>().EnsureCreatedAsync();
        return provider;
    }

    /// <summary>Writes a one-off enterprise registry CSV and imports it.</summary>
    public static async Task ImportEnterprisesAsync(IServiceProvider services, params string[] rows)
    {
        var file = Path.Combine(Path.GetTempPath(), $"enterprises-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file, ["uscc,name,english_name,aliases", .. rows]);
        try
        {
            var report = await services.GetRequiredService<EnterpriseRegistry>().ImportCsvAsync(file, CancellationToken.None);
            if (report.Rejected.Count > 0)
            {
                throw new InvalidOperationException(string.Join("; ", report.Rejected));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}
