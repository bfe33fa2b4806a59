using System.Net;
using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Operators;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// Sources' status on a real Azurite: the sources file is applied by the host's own start
/// (<see cref="StorageStartup"/>), and each "restart" is a new service provider over the same storage.
/// </summary>
public sealed class SourceStatusTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>, IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly Caller Operator = new("olga", [Roles.Operator]);

    private readonly string file = Path.Combine(Path.GetTempPath(), $"sources-{Guid.NewGuid():N}.json");
    private readonly FakeTimeProvider clock = new(Start);
    private readonly RecordingHandler publisher = new((_, _) => new HttpResponseMessage(HttpStatusCode.OK)
    {
        Content = new StringContent(
            "<rss version=\"2.0\"><channel><item><guid>1</guid><title>One</title></item>"
                + "<item><guid>2</guid><title>Two</title></item></channel></rss>",
            Encoding.UTF8,
            "application/rss+xml"),
    });

    public void Dispose() => File.Delete(file);

    [Fact]
    public async Task ApplyFile_SourceRemovedThenHostRestarts_IsNotPulledAndIsKeptDisabledWithItsHistory()
    {
        var (removed, kept) = (Id("removed"), Id("kept"));
        PullSourceMessage stale;
        await using (var first = await StartHostAsync(Pulled(removed), Pulled(kept)))
        {
            var due = await first.GetRequiredService<SourcePullScheduler>().EnqueueDueAsync(CancellationToken.None);
            var pulled = await PullAsync(first, due.Single(m => m.SourceId == removed));
            Assert.Equal((PullOutcome.NewItems, 2), (pulled.Outcome, pulled.ItemsQueued));
            // The kept source's pull completes too: a pull still queued would hold its next occurrence back (coalescing).
            await PullAsync(first, due.Single(m => m.SourceId == kept));
            stale = due.Single(m => m.SourceId == removed);
        }

        clock.Advance(TimeSpan.FromSeconds(5));
        await using var restarted = await StartHostAsync(Pulled(kept));
        var dueAfter = await restarted.GetRequiredService<SourcePullScheduler>().EnqueueDueAsync(CancellationToken.None);
        var sentBefore = publisher.Sent.Count;
        // A pull message still queued from before the restart.
        var stalePull = await PullAsync(restarted, stale);

        // The kept source, on the same schedule, is due: the removed one would be too if it were still pulled.
        Assert.Contains(dueAfter, m => m.SourceId == kept);
        Assert.DoesNotContain(dueAfter, m => m.SourceId == removed);
        Assert.Equal(PullOutcome.NotDue, stalePull.Outcome);
        Assert.Equal(sentBefore, publisher.Sent.Count);
        var registry = restarted.GetRequiredService<SourceRegistry>();
        Assert.DoesNotContain(await registry.ListAsync(CancellationToken.None), s => s.Definition.Id == removed);
        var status = (await registry.FindRegisteredAsync(removed, CancellationToken.None))!.Status;
        Assert.Equal(
            (SourceFileStatus.MissingFromFile, SourceStatus.MissingFromFileReason, clock.GetUtcNow(), false),
            (status.File, status.FileReason, status.FileSince, status.IsEnabled));
        var listed = await ListedAsync(restarted, removed);
        Assert.False(listed.GetProperty("enabled").GetBoolean());
        Assert.Equal("MissingFromFile", listed.GetProperty("status").GetProperty("file").GetString());
        Assert.Equal(SourceStatus.MissingFromFileReason, listed.GetProperty("status").GetProperty("reason").GetString());
        Assert.Equal(2, listed.GetProperty("statistics").GetProperty("items").GetInt32());
    }

    [Fact]
    public async Task ApplyFile_RemovedSourceBackInTheFile_IsEnabledAndScheduledAgain()
    {
        var (returning, other) = (Id("back"), Id("other"));
        await (await StartHostAsync(Pulled(returning), Pulled(other))).DisposeAsync();
        clock.Advance(TimeSpan.FromMinutes(1));
        await (await StartHostAsync(Pulled(other))).DisposeAsync();
        clock.Advance(TimeSpan.FromMinutes(1));

        await using var restored = await StartHostAsync(Pulled(returning), Pulled(other));

        var registry = restored.GetRequiredService<SourceRegistry>();
        var status = (await registry.FindRegisteredAsync(returning, CancellationToken.None))!.Status;
        Assert.Equal(
            (SourceFileStatus.Listed, null, clock.GetUtcNow(), true),
            (status.File, status.FileReason, status.FileSince, status.IsEnabled));
        var due = await restored.GetRequiredService<SourcePullScheduler>().EnqueueDueAsync(CancellationToken.None);
        Assert.Contains(due, m => m.SourceId == returning);
    }

    [Fact]
    public async Task ApplyFile_EnabledFalseInTheFile_IsNotScheduledAndShowsTheFilesReason()
    {
        var off = Id("off");
        await using var services = await StartHostAsync(
            Pulled(off) with { Enabled = false, DisabledReason = "合同到期 (contract ended)" });

        var due = await services.GetRequiredService<SourcePullScheduler>().EnqueueDueAsync(CancellationToken.None);

        Assert.DoesNotContain(due, m => m.SourceId == off);
        var status = (await services.GetRequiredService<SourceRegistry>().FindRegisteredAsync(off, CancellationToken.None))!.Status;
        Assert.Equal(SourceFileStatus.DisabledInFile, status.File);
        Assert.Equal($"{SourceStatus.DisabledInFileReason}: 合同到期 (contract ended)", status.Reason);
    }

    [Fact]
    public async Task ApplyFile_RegulatorSuspendedTheSource_AFileChangeNeverLiftsIt()
    {
        var suspended = Id("suspended");
        await (await StartHostAsync(Pulled(suspended))).DisposeAsync();
        // What the regulators' process records: its own columns on the source's row, which applying the file never writes.
        var table = new TableServiceClient(azurite.ConnectionString).GetTableClient(StorageNames.Tables.Sources);
        await table.UpsertEntityAsync(
            new TableEntity("source", suspended)
            {
                ["RegulatorDecision"] = "Suspended", ["RegulatorReason"] = "许可证暂停 (licence suspended)",
            },
            TableUpdateMode.Merge);

        await using var restarted = await StartHostAsync(Pulled(suspended) with { Name = "renamed in the file" });

        var registry = restarted.GetRequiredService<SourceRegistry>();
        var source = (await registry.FindRegisteredAsync(suspended, CancellationToken.None))!;
        Assert.Equal("renamed in the file", source.Definition.Name);
        Assert.Equal(
            (SourceFileStatus.Listed, RegulatorDecision.Suspended, false),
            (source.Status.File, source.Status.Regulator, source.Status.IsEnabled));
        Assert.Contains("licence suspended", source.Status.Reason, StringComparison.Ordinal);
        Assert.Null(await registry.FindAsync(suspended, CancellationToken.None));
        var due = await restarted.GetRequiredService<SourcePullScheduler>().EnqueueDueAsync(CancellationToken.None);
        Assert.DoesNotContain(due, m => m.SourceId == suspended);
    }

    [Fact]
    public async Task Scan_FileFromADisabledSource_IsRefusedWithTheReasonInItsReport()
    {
        var bureau = Id("bureau");
        var pushed = new SourceDefinition(bureau, "bureau", SourceKind.CreditBureau, SourceFormat.CreditScores, 0.7);
        await (await StartHostAsync(pushed)).DisposeAsync();
        await using var services = await StartHostAsync(Pulled(Id("only")));
        var storage = services.GetRequiredService<SupervisionStorage>();
        await storage.Container(StorageNames.Containers.Inbox).GetBlobClient($"{bureau}/scores.csv").UploadAsync(
            BinaryData.FromString("uscc,score,grade,as_of,model_version\n91310000D3M000002X,700,B,2026-11-20,zm-1\n"));

        var result = Assert.Single(
            await services.GetRequiredService<InboxHandler>().ScanAsync(CancellationToken.None),
            r => r.BlobName == $"{bureau}/scores.csv");

        Assert.Equal(("rejected", 0), (result.Outcome, result.Accepted));
        Assert.StartsWith(nameof(RejectionKind.SourceDisabled), result.Reason, StringComparison.Ordinal);
        Assert.Contains(SourceStatus.MissingFromFileReason, result.Reason, StringComparison.Ordinal);
        var report = await ReportAsync(storage, bureau);
        Assert.Equal(result.Reason, report.GetProperty("fileError").GetString());
        Assert.Equal(0, report.GetProperty("accepted").GetInt32());
    }

    private async Task<ServiceProvider> StartHostAsync(params SourceDefinition[] sources)
    {
        await File.WriteAllTextAsync(file, JsonSerializer.Serialize(new { sources }, SourceRegistry.JsonOptions));
        var services = await TestServices.BuildAsync(
            azurite.ConnectionString,
            new Dictionary<string, string?> { ["Ingestion:SourcesFile"] = file },
            s =>
            {
                s.AddSingleton<TimeProvider>(clock);
                s.AddHttpClient(HttpFetcher.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => publisher);
            });
        await ActivatorUtilities.CreateInstance<StorageStartup>(services).StartAsync(CancellationToken.None);
        return services;
    }

    private static Task<SourcePullResult> PullAsync(IServiceProvider services, PullSourceMessage message) =>
        services.GetRequiredService<PullSourceHandler>()
            .HandleAsync(JsonSerializer.Serialize(message, MessageJson.Options), CancellationToken.None);

    /// <summary>The source's item in the operators' source list, paged through as an operator would.</summary>
    private static async Task<JsonElement> ListedAsync(IServiceProvider services, string sourceId)
    {
        var routes = services.GetRequiredService<OperatorRoutes>();
        string? next = null;
        do
        {
            var query = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["pageSize"] = "200" };
            if (next is not null)
            {
                query["next"] = next;
            }

            var request = new ApiRequest(new Dictionary<string, string>(), query, string.Empty);
            var response = await routes.ListSourcesAsync(Operator, request, default);
            Assert.Equal(200, response.Status);
            var body = JsonDocument.Parse(response.BodyJson()).RootElement.Clone();
            foreach (var item in body.GetProperty("items").EnumerateArray())
            {
                if (item.GetProperty("definition").GetProperty("id").GetString() == sourceId)
                {
                    return item;
                }
            }

            next = body.GetProperty("next").GetString();
        }
        while (next is not null);

        throw new Xunit.Sdk.XunitException($"{sourceId} is not in operator/sources");
    }

    private static async Task<JsonElement> ReportAsync(SupervisionStorage storage, string sourceId)
    {
        var taken = storage.Container(StorageNames.Containers.Taken);
        await foreach (var blob in taken.GetBlobsAsync(BlobTraits.None, BlobStates.None, $"{sourceId}/", CancellationToken.None))
        {
            if (blob.Name.EndsWith(InboxHandler.ReportSuffix, StringComparison.Ordinal))
            {
                var content = await taken.GetBlobClient(blob.Name).DownloadContentAsync();
                return JsonDocument.Parse(content.Value.Content.ToString()).RootElement.Clone();
            }
        }

        throw new Xunit.Sdk.XunitException($"no report for {sourceId}");
    }

    private static string Id(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    private static SourceDefinition Pulled(string id) =>
        new(id, id, SourceKind.NewsFeed, SourceFormat.Feed, 0.8)
        {
            Url = new Uri($"http://{id}.test/feed.xml"),
            Schedule = "* * * * * *",
        };
}
