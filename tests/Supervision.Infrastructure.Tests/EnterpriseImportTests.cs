using Azure.Core;
using Azure.Core.Pipeline;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api.Operators;
using Supervision.Infrastructure.Enterprises;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// The registry CSV import over a real Azurite: enterprises and their change-log lines go in
/// transactions of 50 pairs, rows already stored as the file says are neither written nor logged,
/// and a crashed import run again converges with every written row logged.
/// </summary>
public sealed class EnterpriseImportTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);
    private static int era;

    [Fact]
    public async Task ImportCsv_ThousandNewRows_OneTransactionPerFiftyAndALogLineEach()
    {
        var clock = Clock();
        var counter = new TableRequestCounter();
        await using var writer = await InstanceAsync(clock, counter);
        var rows = Rows(1000);
        var since = EnterpriseTable.PositionAt(clock.GetUtcNow());
        counter.Reset(); // creating the tables on start

        var report = await ImportAsync(writer, rows);

        Assert.Equal((1000, 1000, 0), (report.Imported, report.Written, report.Unchanged));
        Assert.Equal(1000 / 50, counter.Batches);
        Assert.Equal(0, counter.SingleWrites);
        var logged = await LoggedAsync(writer, since);
        Assert.Equal(rows.Select(r => r.Uscc).Order(StringComparer.Ordinal), logged.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ImportCsv_SameFileAgain_WritesNothingAndLogsNothing()
    {
        var clock = Clock();
        var counter = new TableRequestCounter();
        await using var writer = await InstanceAsync(clock, counter);
        var rows = Rows(1000);
        await ImportAsync(writer, rows);
        clock.Advance(TimeSpan.FromMinutes(1));
        var since = EnterpriseTable.PositionAt(clock.GetUtcNow());
        counter.Reset();

        var again = await ImportAsync(writer, rows);

        Assert.Equal((1000, 0, 1000), (again.Imported, again.Written, again.Unchanged));
        Assert.Equal((0, 0), (counter.Batches, counter.SingleWrites));
        Assert.Empty(await LoggedAsync(writer, since));
    }

    [Fact]
    public async Task ImportCsv_OneRowChanged_OneWriteOneLogLineAndTheOtherInstanceSeesIt()
    {
        var clock = Clock();
        var counter = new TableRequestCounter();
        await using var writer = await InstanceAsync(clock, counter);
        await using var reader = await InstanceAsync(clock, new TableRequestCounter());
        var rows = Rows(3);
        await ImportAsync(writer, rows);
        await Registry(reader).LinkerAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(5));
        await Registry(reader).LinkerAsync(CancellationToken.None); // a refresh past the first import's lines
        var before = Registry(reader).Reads;
        clock.Advance(TimeSpan.FromSeconds(10));
        var since = EnterpriseTable.PositionAt(clock.GetUtcNow());
        counter.Reset();

        rows[1] = (rows[1].Uscc, "银河改名样本物流有限公司");
        var report = await ImportAsync(writer, rows);
        clock.Advance(Refresh);
        var found = await Registry(reader).FindAsync(rows[1].Uscc, CancellationToken.None);

        Assert.Equal((3, 1, 2), (report.Imported, report.Written, report.Unchanged));
        Assert.Equal((1, 0), (counter.Batches, counter.SingleWrites));
        Assert.Equal([rows[1].Uscc], await LoggedAsync(writer, since));
        Assert.Equal("银河改名样本物流有限公司", found?.Name);
        var after = Registry(reader).Reads;
        var read = (after.ChangeLines - before.ChangeLines, after.Enterprises - before.Enterprises, after.FullLoads - before.FullLoads);
        Assert.Equal((1L, 1L, 0L), read);
    }

    [Fact]
    public async Task ImportCsv_EnterpriseAbsentFromTheFile_IsKept()
    {
        var clock = Clock();
        await using var writer = await InstanceAsync(clock, new TableRequestCounter());
        var rows = Rows(2);
        await ImportAsync(writer, rows);

        var report = await ImportAsync(writer, [rows[0]]);
        clock.Advance(Refresh);

        Assert.Equal((1, 0, 1), (report.Imported, report.Written, report.Unchanged));
        Assert.Equal(rows[1].Name, (await Registry(writer).FindAsync(rows[1].Uscc, CancellationToken.None))?.Name);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ImportCsv_CrashMidImportThenRunAgain_ConvergesWithEveryRowLogged(bool afterStorageApplied)
    {
        var clock = Clock();
        var crash = new CrashOnWritePolicy();
        await using var writer = await TestServices.BuildAsync(
            azurite.ConnectionString, configure: s => s.AddSingleton<TimeProvider>(clock)
                .AddSingleton(PolicyStorage.With(azurite.ConnectionString, crash)));
        var rows = Rows(500);
        var since = EnterpriseTable.PositionAt(clock.GetUtcNow());
        crash.Arm(4, afterStorageApplied);

        await Assert.ThrowsAnyAsync<Exception>(() => ImportAsync(writer, rows));
        var rerun = await ImportAsync(writer, rows);

        // The transactions before the crash stand (and the crashed one too if storage applied it);
        // the one that never reached storage is written by the run again.
        Assert.True(crash.Fired);
        Assert.InRange(rerun.Written, afterStorageApplied ? 0 : 50, 500 - ((afterStorageApplied ? 4 : 3) * 50));
        var stored = await writer.GetRequiredService<EnterpriseTable>().ReadAllAsync(CancellationToken.None);
        var byCode = stored.ToDictionary(e => e.Uscc, StringComparer.Ordinal);
        Assert.All(rows, r => Assert.Equal(r.Name, byCode[r.Uscc].Name));
        var logged = (await LoggedAsync(writer, since)).ToHashSet(StringComparer.Ordinal);
        Assert.All(rows, r => Assert.Contains(r.Uscc, logged));
    }

    [Fact]
    public async Task ImportCsv_AfterAnOperatorAddedAnAlias_KeepsIt_AndAnotherInstanceLinksByItAfterARefresh()
    {
        var clock = Clock();
        await using var writer = await InstanceAsync(clock, new TableRequestCounter());
        await using var reader = await InstanceAsync(clock, new TableRequestCounter());
        var rows = Rows(2);
        await ImportAsync(writer, rows);
        Assert.False((await Registry(reader).LinkerAsync(CancellationToken.None)).Link("星河云图发布新品").IsLinked);
        clock.Advance(TimeSpan.FromSeconds(1)); // a log line is keyed by its tick and USCC: the alias's is its own

        var added = await writer.GetRequiredService<RegistryAliases>()
            .AddAsync(rows[0].Uscc, "星河云图", new Caller("an-operator", [Roles.Operator]), CancellationToken.None);
        clock.Advance(Refresh + TimeSpan.FromSeconds(1));
        var again = await ImportAsync(writer, rows);

        Assert.Equal(DeskOutcomeKind.Accepted, added.Kind);
        Assert.Equal((0, 2), (again.Written, again.Unchanged));
        var stored = await Registry(writer).FindForChangeAsync(rows[0].Uscc, CancellationToken.None);
        Assert.Equal("an-operator", Assert.Single(stored!.Value.Enterprise.AddedAliases).AddedBy);
        var linked = (await Registry(reader).LinkerAsync(CancellationToken.None)).Link("星河云图发布新品");
        Assert.Equal(rows[0].Uscc, linked.Enterprise?.Uscc);
    }

    private static EnterpriseRegistry Registry(IServiceProvider services) => services.GetRequiredService<EnterpriseRegistry>();

    private static FakeTimeProvider Clock() =>
        new(new DateTimeOffset(2033, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(30 * Interlocked.Increment(ref era)));

    /// <summary>Distinct fresh codes (consecutive from a random start) with a distinct name each.</summary>
    private static List<(string Uscc, string Name)> Rows(int count)
    {
        var start = Random.Shared.Next(1_000_000, 8_000_000);
        return Enumerable.Range(0, count)
            .Select(i => (Uscc.WithCheckCharacter($"91330100MA{start + i}"), $"样本{start + i}商贸有限公司")).ToList();
    }

    private static async Task<ImportReport> ImportAsync(IServiceProvider services, List<(string Uscc, string Name)> rows)
    {
        var file = Path.Combine(Path.GetTempPath(), $"enterprises-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file, ["uscc,name", .. rows.Select(r => $"{r.Uscc},{r.Name}")]);
        try
        {
            return await Registry(services).ImportCsvAsync(file, CancellationToken.None);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static async Task<List<string>> LoggedAsync(IServiceProvider services, string since) =>
        (await services.GetRequiredService<EnterpriseTable>().ChangesAfterAsync(since, CancellationToken.None))
            .Select(c => c.Uscc).ToList();

    private async Task<ServiceProvider> InstanceAsync(FakeTimeProvider clock, TableRequestCounter counter) =>
        await TestServices.BuildAsync(
            azurite.ConnectionString,
            new Dictionary<string, string?> { ["Enterprises:RefreshEvery"] = Refresh.ToString() },
            services => services.AddSingleton<TimeProvider>(clock)
                .AddSingleton<SupervisionStorage>(PolicyStorage.With(azurite.ConnectionString, counter)));
}

/// <summary>Counts a table client's writes: entity-group transactions ($batch) and single-entity writes.</summary>
internal sealed class TableRequestCounter : HttpPipelinePolicy
{
    private int batches;
    private int singleWrites;

    public int Batches => Volatile.Read(ref batches);

    public int SingleWrites => Volatile.Read(ref singleWrites);

    public void Reset()
    {
        Interlocked.Exchange(ref batches, 0);
        Interlocked.Exchange(ref singleWrites, 0);
    }

    public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("the stores here are asynchronous");

    public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
    {
        if (message.Request.Uri.Path.EndsWith("$batch", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref batches);
        }
        else if (message.Request.Method != RequestMethod.Get && message.Request.Method != RequestMethod.Head)
        {
            Interlocked.Increment(ref singleWrites);
        }

        await ProcessNextAsync(message, pipeline);
    }
}
