using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Supervision.Infrastructure.Enterprises;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Hosting;

/// <summary>
/// On start: create the queues, tables and containers, and import the enterprise registry's seed
/// file (setting Enterprises:SeedFile) and apply the sources file (Ingestion:SourcesFile), which
/// disables any registered source no longer in it. Both are idempotent, so every start may run
/// them; an unchanged seed file writes nothing.
/// </summary>
public sealed class StorageStartup(
    SupervisionStorage storage,
    EnterpriseRegistry registry,
    SourceRegistry sources,
    IConfiguration configuration,
    ILogger<StorageStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await storage.EnsureCreatedAsync(cancellationToken);
        var seed = configuration["Enterprises:SeedFile"];
        if (!string.IsNullOrWhiteSpace(seed))
        {
            var path = Path.IsPathRooted(seed) ? seed : Path.Combine(AppContext.BaseDirectory, seed);
            var report = await registry.ImportCsvAsync(path, cancellationToken);
            logger.LogInformation(
                "Enterprise registry: {Imported} imported from {Path} ({Written} new or changed, {Unchanged} unchanged), "
                    + "{Rejected} rejected",
                report.Imported,
                path,
                report.Written,
                report.Unchanged,
                report.Rejected.Count);
        }

        var sourcesFile = configuration["Ingestion:SourcesFile"];
        if (!string.IsNullOrWhiteSpace(sourcesFile))
        {
            var path = Path.IsPathRooted(sourcesFile) ? sourcesFile : Path.Combine(AppContext.BaseDirectory, sourcesFile);
            await sources.ApplyFileAsync(SourceRegistry.ReadSeedFile(path), cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
