using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Text;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Enterprises;

/// <summary>
/// The enterprises under supervision, in Table storage. Imported from RFC 4180 CSV with a header
/// (uscc, name, and optionally english_name, aliases, former_names; lists separated by '|');
/// rows with an invalid code are reported and skipped, never half-imported, and legacy pilot codes
/// are imported with a flag.
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
        var flagged = new List<string>();
        List<CsvRecord> records;
        using (var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true))
        {
            records = Csv.Read(reader).ToList();
        }

        var header = records.Count == 0 ? [] : records[0].Fields.Select(f => f.Trim().ToLowerInvariant()).ToList();
        int Column(string name) => header.IndexOf(name);
        if (Column("uscc") < 0 || Column("name") < 0)
        {
            throw new InvalidDataException(
                $"{path}: the header must name at least the columns uscc and name (optional: english_name, aliases, former_names)");
        }

        string Field(CsvRecord record, string name) =>
            Column(name) is var i and >= 0 && i < record.Fields.Count ? record.Fields[i].Trim() : string.Empty;
        static string[] List(string value) => value.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        foreach (var record in records.Skip(1))
        {
            if (record.Fields.Count != header.Count)
            {
                rejected.Add($"{path}:{record.Line}: {record.Fields.Count} fields, the header has {header.Count}");
                continue;
            }

            var code = Uscc.Compact(Field(record, "uscc"));
            var check = Uscc.Check(code);
            if (!check.IsAcceptable || Field(record, "name").Length == 0)
            {
                rejected.Add($"{path}:{record.Line}: {check.Reason ?? "the name is empty"}");
                continue;
            }

            if (check.Status == UsccStatus.Flagged)
            {
                flagged.Add($"{path}:{record.Line}: {code}: {check.Reason}");
            }

            var english = Field(record, "english_name");
            var enterprise = new Enterprise(
                code, Field(record, "name"), english.Length == 0 ? null : english, List(Field(record, "aliases")))
            {
                FormerNames = List(Field(record, "former_names")),
                UsccFlag = check.Status == UsccStatus.Flagged ? check.Reason : null,
            };
            await table.UpsertEntityAsync(EnterpriseEntity.From(enterprise), TableUpdateMode.Replace, cancellationToken);
            imported++;
        }

        foreach (var reason in rejected)
        {
            logger.LogWarning("Enterprise row rejected: {Reason}", reason);
        }

        foreach (var reason in flagged)
        {
            logger.LogWarning("Enterprise row imported with a flagged code: {Reason}", reason);
        }

        cache = null;
        return new ImportReport(imported, rejected) { Flagged = flagged };
    }

    public async Task<Enterprise?> FindAsync(string uscc, CancellationToken cancellationToken) =>
        (await LoadAsync(cancellationToken)).ByUscc.GetValueOrDefault(uscc);

    public async Task<EnterpriseLinker> LinkerAsync(CancellationToken cancellationToken) => (await LoadAsync(cancellationToken)).Linker;

    private async Task<(EnterpriseLinker Linker, IReadOnlyDictionary<string, Enterprise> ByUscc, DateTimeOffset LoadedAt)> LoadAsync(
        CancellationToken cancellationToken)
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
            var table = storage.Table(StorageNames.Tables.Enterprises);
            await foreach (var entity in table.QueryAsync<EnterpriseEntity>(cancellationToken: cancellationToken))
            {
                enterprises.Add(entity.ToEnterprise());
            }

            var loaded = (
                new EnterpriseLinker(enterprises),
                (IReadOnlyDictionary<string, Enterprise>)enterprises.ToDictionary(e => e.Uscc),
                time.GetUtcNow());
            cache = loaded;
            return loaded;
        }
        finally
        {
            refresh.Release();
        }
    }
}

public sealed record ImportReport(int Imported, IReadOnlyList<string> Rejected)
{
    /// <summary>Rows imported whose code is a legacy pilot code failing its check character.</summary>
    public IReadOnlyList<string> Flagged { get; init; } = [];
}

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

    public string FormerNames { get; set; } = string.Empty;

    public string? UsccFlag { get; set; }

    public static EnterpriseEntity From(Enterprise enterprise) => new()
    {
        RowKey = enterprise.Uscc,
        Name = enterprise.Name,
        EnglishName = enterprise.EnglishName,
        Aliases = string.Join('|', enterprise.Aliases),
        FormerNames = string.Join('|', enterprise.FormerNames),
        UsccFlag = enterprise.UsccFlag,
    };

    public Enterprise ToEnterprise() =>
        new(RowKey, Name, EnglishName, Aliases.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            FormerNames = FormerNames.Split('|', StringSplitOptions.RemoveEmptyEntries),
            UsccFlag = UsccFlag,
        };
}
