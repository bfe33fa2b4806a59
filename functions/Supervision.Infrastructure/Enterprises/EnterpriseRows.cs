using Azure;
using Azure.Data.Tables;
using System.Text.Json;
using Supervision.Domain.Enterprises;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Enterprises;

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

    /// <summary>Operators' aliases as JSON (<see cref="Enterprise.AddedAliases"/>); empty when none.</summary>
    public string AddedAliases { get; set; } = string.Empty;

    public static EnterpriseEntity From(Enterprise enterprise) => new()
    {
        RowKey = enterprise.Uscc,
        Name = enterprise.Name,
        EnglishName = enterprise.EnglishName,
        Aliases = string.Join('|', enterprise.Aliases),
        FormerNames = string.Join('|', enterprise.FormerNames),
        UsccFlag = enterprise.UsccFlag,
        AddedAliases = enterprise.AddedAliases.Count == 0
            ? string.Empty
            : JsonSerializer.Serialize(enterprise.AddedAliases, MessageJson.Options),
    };

    /// <summary>
    /// An upper bound of the row's size in a transaction body: JSON may escape every character to
    /// six bytes (\uXXXX), plus the property names and the part's headers.
    /// </summary>
    public static long EstimatedBytes(Enterprise enterprise)
    {
        var row = From(enterprise);
        var characters = row.RowKey.Length + row.Name.Length + (row.EnglishName?.Length ?? 0) + row.Aliases.Length
            + row.FormerNames.Length + (row.UsccFlag?.Length ?? 0) + row.AddedAliases.Length;
        return (6L * characters) + 1024;
    }

    /// <summary>Whether two enterprises would be stored as the same row: an import skips a row that would not change.</summary>
    public static bool SameRow(Enterprise a, Enterprise b)
    {
        var (x, y) = (From(a), From(b));
        return x.RowKey == y.RowKey && x.Name == y.Name && (x.EnglishName ?? string.Empty) == (y.EnglishName ?? string.Empty)
            && x.Aliases == y.Aliases && x.FormerNames == y.FormerNames && (x.UsccFlag ?? string.Empty) == (y.UsccFlag ?? string.Empty)
            && x.AddedAliases == y.AddedAliases;
    }

    public Enterprise ToEnterprise() =>
        new(RowKey, Name, EnglishName, Aliases.Split('|', StringSplitOptions.RemoveEmptyEntries))
        {
            FormerNames = FormerNames.Split('|', StringSplitOptions.RemoveEmptyEntries),
            UsccFlag = UsccFlag,
            AddedAliases = AddedAliases.Length == 0
                ? []
                : JsonSerializer.Deserialize<AddedAlias[]>(AddedAliases, MessageJson.Options) ?? [],
        };
}

/// <summary>
/// One line of the registry's change log: "enterprise X was written or removed at T". It names the
/// enterprise only; a reader re-reads the enterprise row, so applying a line twice, or a stale line
/// after a newer write, always ends at the row's current state.
/// </summary>
public sealed class EnterpriseChangeEntity : ITableEntity
{
    public const string Upserted = "upserted";
    public const string Removed = "removed";

    public string PartitionKey { get; set; } = EnterpriseEntity.Partition;

    public string RowKey { get; set; } = string.Empty;

    public DateTimeOffset? Timestamp { get; set; }

    public ETag ETag { get; set; }

    public string Uscc { get; set; } = string.Empty;

    /// <summary><see cref="Upserted"/> or <see cref="Removed"/>; for people reading the log, readers re-read the row.</summary>
    public string Change { get; set; } = Upserted;
}
