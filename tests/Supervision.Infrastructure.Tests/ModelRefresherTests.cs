using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Scoring;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;
using Supervision.Trainer;

namespace Supervision.Infrastructure.Tests;

/// <summary>Publishing models to a real Azurite and picking them up without a restart.</summary>
public sealed class ModelRefresherTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly Lazy<string> Reseeded = new(() =>
    {
        // The same data with another seed: a genuinely different version of every model.
        var directory = Path.Combine(Path.GetTempPath(), "supervision-tests", "reseeded-" + Environment.ProcessId);
        var root = ModelPaths.FindRepositoryRoot();
        new ModelTrainers(TextWriter.Null).TrainAll(TrainingData.Load(TrainingData.DataDirectory(root)), directory, seed: 7);
        return directory;
    });

    [Fact]
    public async Task RefreshOnce_NewerSetPublished_IsInForceWithoutARestart()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        await ClearPublishedAsync(services);
        var scorer = services.GetRequiredService<MlNetTextScorer>();
        var refresher = services.GetRequiredService<ModelRefresher>();
        var before = scorer.ModelVersion;

        Assert.False(await refresher.RefreshOnceAsync(CancellationToken.None)); // nothing published yet

        var manifest = await services.GetRequiredService<ModelPublisher>()
            .PublishAsync(Reseeded.Value, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.True(await refresher.RefreshOnceAsync(CancellationToken.None));

        Assert.NotEqual(before, scorer.ModelVersion);
        Assert.All(ModelContract.ModelNames, name => Assert.Contains(manifest.Models[name], scorer.ModelVersion, StringComparison.Ordinal));
        Assert.EndsWith("-s7", scorer.Score("The firm defaulted on its loans").ModelVersion.Split('+')[0], StringComparison.Ordinal);
        Assert.Null(refresher.Status.LastError);
        Assert.False(await refresher.RefreshOnceAsync(CancellationToken.None)); // same manifest: nothing to do
    }

    [Fact]
    public async Task RefreshOnce_BrokenModelPublished_IsRefusedAndTheModelsInUseKeepScoring()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        await ClearPublishedAsync(services);
        var scorer = services.GetRequiredService<MlNetTextScorer>();
        var refresher = services.GetRequiredService<ModelRefresher>();
        var before = scorer.ModelVersion;
        await services.GetRequiredService<ModelPublisher>().PublishAsync(Reseeded.Value, DateTimeOffset.UtcNow, CancellationToken.None);
        var container = services.GetRequiredService<SupervisionStorage>().Container(StorageNames.Containers.Models);
        var version = ModelFiles.ReadVersion(Path.Combine(Reseeded.Value, ModelContract.ChinesePolarity));
        await container.GetBlobClient($"{ModelContract.ChinesePolarity}/{version}/{ModelContract.ModelFileName}")
            .UploadAsync(BinaryData.FromString("not a zip"), overwrite: true);

        Assert.False(await refresher.RefreshOnceAsync(CancellationToken.None));

        Assert.Equal(before, scorer.ModelVersion);
        Assert.NotNull(refresher.Status.LastError);
        Assert.True(scorer.Score("公司拖欠工资").NegativeProbability > 0);
    }

    /// <summary>The tests of this class share one Azurite; each starts with nothing published.</summary>
    private static async Task ClearPublishedAsync(IServiceProvider services)
    {
        var container = services.GetRequiredService<SupervisionStorage>().Container(StorageNames.Containers.Models);
        await foreach (var blob in container.GetBlobsAsync())
        {
            await container.DeleteBlobAsync(blob.Name);
        }
    }

    [Fact]
    public async Task Publish_UnusableFolder_IsRefusedBeforeAnythingIsWritten()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        await ClearPublishedAsync(services);
        var empty = Directory.CreateTempSubdirectory("no-models").FullName;

        await Assert.ThrowsAsync<FileNotFoundException>(() =>
            services.GetRequiredService<ModelPublisher>().PublishAsync(empty, DateTimeOffset.UtcNow, CancellationToken.None));

        var container = services.GetRequiredService<SupervisionStorage>().Container(StorageNames.Containers.Models);
        Assert.False(await container.GetBlobClient(ModelRefresher.ManifestBlob).ExistsAsync());
    }
}
