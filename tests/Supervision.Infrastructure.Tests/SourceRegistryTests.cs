using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Ingestion;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

public sealed class SourceRegistryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public void ReadSeedFile_AnyBadSource_RejectsTheWholeFile()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, """
            {"sources":[
              {"id":"ok","name":"ok","kind":"newsFeed","format":"feed","trustWeight":0.5,"url":"https://example.test/rss"},
              {"id":"no-url","name":"bad","kind":"newsFeed","format":"feed","trustWeight":0.5},
              {"id":"leaky","name":"bad","kind":"creditBureau","format":"creditScores","trustWeight":2,"credentialSetting":"Bearer abc def"}
            ]}
            """);

        var error = Assert.Throws<InvalidDataException>(() => SourceRegistry.ReadSeedFile(file));

        Assert.Contains("needs a url", error.Message, StringComparison.Ordinal);
        Assert.Contains("trust weight 2", error.Message, StringComparison.Ordinal);
        Assert.Contains("must not be the secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EnqueueDue_HonoursEachSourcesSchedule_AndStatisticsCountTheLedger()
    {
        var publisher = new RecordingHandler((_, _) => new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StringContent(
                "<rss version=\"2.0\"><channel>"
                + "<item><guid>1</guid><title>One</title><pubDate>Sat, 28 Nov 2026 08:00:00 GMT</pubDate></item>"
                + "<item><guid>2</guid><title>Two</title></item>"
                + "</channel></rss>",
                Encoding.UTF8,
                "application/rss+xml"),
        });
        await using var services = await TestServices.BuildAsync(
            azurite.ConnectionString,
            configure: s => s.AddHttpClient(HttpFetcher.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => publisher));
        var id = $"hourly-{Guid.NewGuid():N}"[..20];
        var registry = services.GetRequiredService<SourceRegistry>();
        await registry.SeedAsync(
            [
                new SourceDefinition(id, "hourly", SourceKind.NewsFeed, SourceFormat.Feed, 0.7)
                {
                    Url = new Uri("http://hourly.test/rss"),
                    Schedule = "0 0 * * * *",
                },
            ],
            CancellationToken.None);
        var scheduler = services.GetRequiredService<SourcePullScheduler>();

        var first = (await scheduler.EnqueueDueAsync(CancellationToken.None)).Single(m => m.SourceId == id);
        var pulled = await services.GetRequiredService<PullSourceHandler>().HandleAsync(
            System.Text.Json.JsonSerializer.Serialize(first, Supervision.Infrastructure.Storage.MessageJson.Options),
            CancellationToken.None);
        var second = await scheduler.EnqueueDueAsync(CancellationToken.None);

        Assert.Equal(PullOutcome.NewItems, pulled.Outcome);
        Assert.DoesNotContain(second, m => m.SourceId == id);
        var report = await services.GetRequiredService<SourceStatisticsReader>()
            .RefreshAsync((await registry.FindAsync(id, CancellationToken.None))!, CancellationToken.None);
        Assert.Equal(2, report.Statistics.Items);
        Assert.NotNull(report.Statistics.MedianDelaySeconds);
        Assert.Equal(0.7, report.Trust.Weight);
        Assert.Equal(0.7, (await registry.FindAsync(id, CancellationToken.None))!.EffectiveTrust);
    }
}
