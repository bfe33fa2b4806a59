using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Enterprises;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Enterprises;

/// <summary>
/// The enterprises under supervision, in Table storage. Imported from CSV
/// (uscc,name,english_name,aliases with aliases separated by '|'); rows with an invalid code are
/// reported and skipped, never half-imported.
/// </summary>
public sealed class EnterpriseRegistry(SupervisionStorage storage, TimeProvider time, ILogger<EnterpriseRegistry> logger) : IDisposable
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim refresh = new(1, 1);
    private (EnterpriseLinker Linker, IReadOnlyDictionary<string, Enterprise> ByUscc, DateTimeOffset LoadedAt)? cache;

    public void Dispose() => refresh.Dispose();

    public async Task<ImportReport> ImportCsvAsync(string path, CancellationToken cancellationToken)
    {
        var table = storage.Table(StorageNames.Tables.Enterprises);
        var imported = 0;
        var rejected = new List<string>();
        var lineNumber = 0;
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            lineNumber++;
            if (lineNumber == 1 || string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var fields = line.Split(',');
            var check = fields.Length == 4 ? Uscc.Check(fields[0].Trim()) : UsccCheck.Invalid("expected 4 fields: uscc,name,english_name,aliases");
            if (!check.IsValid)
            {
                rejected.Add($"{path}:{lineNumber}: {check.Reason}");
                continue;
            }

            await table.UpsertEntityAsync(EnterpriseEntity.From(new Enterprise(
                fields[0].Trim(),
                fields[1].Trim(),
                string.IsNullOrWhiteSpace(fields[2]) ? null : fields[2].Trim(),
                fields[3].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))), TableUpdateMode.Replace, cancellationToken);
            imported++;
        }

        foreach (var reason in rejected)
        {
            logger.LogWarning("Enterprise row rejected: {Reason}", reason);
        }

        cache = null;
        return new ImportReport(imported, rejected);
    }

    public async Task<Enterprise?> FindAsync(string uscc, CancellationToken cancellationToken) =>
        (await LoadAsync(cancellationToken)).ByUscc.GetValueOrDefault(uscc);

    public async Task<EnterpriseLinker> LinkerAsync(CancellationToken cancellationToken) => (await LoadAsync(cancellationToken)).Linker;

    private async Task<(EnterpriseLinker Linker, IReadOnlyDictionary<string, Enterprise> ByUscc, DateTimeOffset LoadedAt)> LoadAsync(CancellationToken cancellationToken)
    {
        if (cache is { } fresh && time.GetUtcNow() - fresh.LoadedAt < CacheFor)
        {
            return fresh;
        }

        await refresh.WaitAsync(cancellationToken);
        try
        {
            if (cache is { } again && time.GetUtcNow() - again.LoadedAt < CacheFor)
            {
                return again;
            }

            var enterprises = new List<Enterprise>();
            await foreach (var entity in storage.Table(StorageNames.Tables.Enterprises).QueryAsync<EnterpriseEntity>(cancellationToken: cancellationToken))
            {
                enterprises.Add(entity.ToEnterprise());
            }

            var loaded = (new EnterpriseLinker(enterprises), (IReadOnlyDictionary<string, Enterprise>)enterprises.ToDictionary(e => e.Uscc), time.GetUtcNow());
            cache = loaded;
            return loaded;
        }
        finally
        {
            refresh.Release();
        }
    }
}

public sealed record ImportReport(int Imported, IReadOnlyList<string> Rejected);

/// <summary>An enterprise row: one partition, keyed by USCC.</summary>
public sealed class EnterpriseEntity : ITableEntity
{
    public const string Partition = "enterprise";

    public string PartitionKey { get; set; } = Partition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Name { get; set; } = string.Empty;

    public string? EnglishName { get; set; }

    public string Aliases { get; set; } = string.Empty;

    public static EnterpriseEntity From(Enterprise enterprise) => new()
    {
        RowKey = enterprise.Uscc,
        Name = enterprise.Name,
        EnglishName = enterprise.EnglishName,
        Aliases = string.Join('|', enterprise.Aliases),
    };

    public Enterprise ToEnterprise() =>
        new(RowKey, Name, EnglishName, Aliases.Split('|', StringSplitOptions.RemoveEmptyEntries));
}
