using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Supervision.Domain.Scoring;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Scoring;

/// <summary>What the scorer knows about published models, for /api/health.</summary>
public sealed record ModelRefreshStatus(DateTimeOffset? LastCheckedAt, IReadOnlyDictionary<string, string>? Published, string? LastError);

/// <summary>The manifest a publisher writes last: which version of each model is in force.</summary>
public sealed record ModelManifest(IReadOnlyDictionary<string, string> Models, DateTimeOffset PublishedAt);

/// <summary>
/// Looks for a newer model set in the <c>models</c> container and puts it in force without a
/// restart. The manifest is read conditionally (its ETag), each model is downloaded, loaded and
/// probed beside the set in use, and only a complete, working set replaces it. A set that fails
/// is reported in the status and the log, and is not retried until the manifest changes.
/// </summary>
public sealed class ModelRefresher(
    MlNetTextScorer scorer,
    SupervisionStorage storage,
    IOptions<ScoringOptions> options,
    TimeProvider time,
    ILogger<ModelRefresher> logger) : BackgroundService
{
    public const string ManifestBlob = "manifest.json";

    private ETag? lastManifest;
    private ModelRefreshStatus status = new(null, null, null);

    public ModelRefreshStatus Status => Volatile.Read(ref status);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.RefreshInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await RefreshOnceAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Storage unreachable: the models in use keep scoring; the next tick tries again.
                logger.LogWarning(e, "Could not check for published models");
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Checks once. True when a newer set was put in force.</summary>
    public async Task<bool> RefreshOnceAsync(CancellationToken cancellationToken)
    {
        var container = storage.Container(StorageNames.Containers.Models);
        var manifestBlob = container.GetBlobClient(ManifestBlob);
        ModelManifest manifest;
        ETag etag;
        try
        {
            var conditions = lastManifest is { } known
                ? new Azure.Storage.Blobs.Models.BlobRequestConditions { IfNoneMatch = known }
                : null;
            var download = await manifestBlob.DownloadContentAsync(conditions, cancellationToken);
            if (download.GetRawResponse().Status == 304)
            {
                // Unchanged since the last look: the SDK answers 304 without a body, not with an exception.
                Volatile.Write(ref status, Status with { LastCheckedAt = time.GetUtcNow() });
                return false;
            }

            etag = download.Value.Details.ETag;
            manifest = download.Value.Content.ToObjectFromJson<ModelManifest>(new JsonSerializerOptions(JsonSerializerDefaults.Web))
                ?? throw new InvalidDataException("the manifest is empty");
        }
        catch (RequestFailedException e) when (e.Status is 304 or 404)
        {
            Volatile.Write(ref status, Status with { LastCheckedAt = time.GetUtcNow() });
            return false; // unchanged since the last look, or nothing published yet
        }
        catch (JsonException e)
        {
            Fail(null, $"{ManifestBlob} is not a manifest: {e.Message}");
            return false;
        }

        lastManifest = etag;
        var missing = ModelContract.ModelNames.Where(n => !manifest.Models.ContainsKey(n)).ToList();
        if (missing.Count > 0)
        {
            Fail(manifest.Models, $"{ManifestBlob} names no version for {string.Join(", ", missing)}");
            return false;
        }

        var wanted = ModelContract.ModelNames.Select(n => manifest.Models[n]).ToList();
        if (wanted.SequenceEqual(scorer.Current.Versions))
        {
            Volatile.Write(ref status, new ModelRefreshStatus(time.GetUtcNow(), manifest.Models, null));
            return false;
        }

        var folder = Path.Combine(Path.GetTempPath(), "supervision-models", Guid.NewGuid().ToString("N"));
        try
        {
            foreach (var name in ModelContract.ModelNames)
            {
                var version = manifest.Models[name];
                var target = Directory.CreateDirectory(Path.Combine(folder, name)).FullName;
                foreach (var file in new[] { ModelContract.ModelFileName, ModelContract.CardFileName })
                {
                    await container.GetBlobClient($"{name}/{version}/{file}")
                        .DownloadToAsync(Path.Combine(target, file), cancellationToken);
                }

                var cardVersion = ModelFiles.ReadVersion(target);
                if (cardVersion != version)
                {
                    throw new InvalidDataException($"{name}/{version}/ holds a card for {cardVersion}");
                }
            }

            var models = ModelSet.Load(name => Path.Combine(folder, name));
            var previous = scorer.ModelVersion;
            scorer.Replace(models);
            Volatile.Write(ref status, new ModelRefreshStatus(time.GetUtcNow(), manifest.Models, null));
            logger.LogInformation("Models replaced without a restart: {Previous} -> {Current}", previous, scorer.ModelVersion);
            return true;
        }
        catch (Exception e) when (
            e is RequestFailedException or InvalidDataException or IOException or FormatException or InvalidOperationException)
        {
            Fail(manifest.Models, e.Message);
            return false;
        }
        finally
        {
            TryDelete(folder);
        }
    }

    private void Fail(IReadOnlyDictionary<string, string>? published, string reason)
    {
        Volatile.Write(ref status, new ModelRefreshStatus(time.GetUtcNow(), published, reason));
        logger.LogError("Published models were refused; the models in use keep scoring: {Reason}", reason);
    }

    private static void TryDelete(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A loaded model may still hold its file on some platforms; the temp folder is cleaned by the OS.
        }
    }
}

/// <summary>Publishes a folder of trained models to the <c>models</c> container for running hosts to pick up.</summary>
public sealed class ModelPublisher(SupervisionStorage storage)
{
    /// <summary>
    /// Checks the set loads and answers, uploads each model under its version, and writes the
    /// manifest last, so a host never sees a manifest naming files that are not there yet.
    /// Publishing the same set twice writes the same blobs.
    /// </summary>
    public async Task<ModelManifest> PublishAsync(string directory, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ModelSet.Load(directory);
        var container = storage.Container(StorageNames.Containers.Models);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        var versions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var name in ModelContract.ModelNames)
        {
            var source = Path.Combine(directory, name);
            var version = ModelFiles.ReadVersion(source);
            foreach (var file in new[] { ModelContract.ModelFileName, ModelContract.CardFileName })
            {
                await container.GetBlobClient($"{name}/{version}/{file}")
                    .UploadAsync(Path.Combine(source, file), overwrite: true, cancellationToken);
            }

            versions[name] = version;
        }

        var manifest = new ModelManifest(versions, now);
        await container.GetBlobClient(ModelRefresher.ManifestBlob)
            .UploadAsync(
                BinaryData.FromObjectAsJson(manifest, new JsonSerializerOptions(JsonSerializerDefaults.Web)),
                overwrite: true,
                cancellationToken);
        return manifest;
    }
}
