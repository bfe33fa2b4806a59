using System.Text.Json;
using Microsoft.Extensions.Options;
using Supervision.Domain.Ingestion;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>The feeds to pull, read from the JSON file named by Ingestion:SourcesFile.</summary>
public sealed class SourceCatalog(IOptions<IngestionOptions> options)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public IReadOnlyList<FeedSource> Load()
    {
        var path = options.Value.SourcesFile;
        if (string.IsNullOrWhiteSpace(path))
        {
            return [];
        }

        if (!Path.IsPathRooted(path))
        {
            path = Path.Combine(AppContext.BaseDirectory, path);
        }

        using var stream = File.OpenRead(path);
        var document = JsonSerializer.Deserialize<SourcesDocument>(stream, JsonOptions)
            ?? throw new InvalidDataException($"{path} holds no sources");
        foreach (var source in document.Sources)
        {
            if (string.IsNullOrWhiteSpace(source.Id) || source.TrustWeight is < 0 or > 1)
            {
                throw new InvalidDataException($"{path}: source '{source.Id}' needs an id and a trust weight between 0 and 1");
            }
        }

        return document.Sources;
    }

    private sealed record SourcesDocument(IReadOnlyList<FeedSource> Sources);
}
