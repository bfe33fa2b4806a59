using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Supervision.Domain.Enterprises;
using Supervision.Infrastructure.Enterprises;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// Two registry instances over one real Azurite, as two Functions instances would be: what one
/// writes, the other follows by the change log. Each test runs in its own span of fake time, so
/// the log lines of one never fall in the window of another.
/// </summary>
public sealed class EnterpriseRegistryTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Overlap = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan Retention = TimeSpan.FromHours(1);
    private static long era;

    [Fact]
    public async Task Refresh_ImportOnOneInstance_IsSeenByTheOtherReadingOnlyTheNewLines()
    {
        var clock = Clock();
        await using var writer = await InstanceAsync(clock);
        await using var reader = await InstanceAsync(clock);
        var seed = Codes(2);
        await ImportAsync(writer, (seed[0], "华夏示例食品有限公司"), (seed[1], "东方样本化工股份有限公司"));
        Assert.NotNull(await Registry(reader).FindAsync(seed[0], CancellationToken.None));
        clock.Advance(TimeSpan.FromMinutes(5));
        await Registry(reader).FindAsync(seed[0], CancellationToken.None); // a refresh with nothing new
        var before = Registry(reader).Reads;

        clock.Advance(TimeSpan.FromSeconds(10));
        var added = Codes(3);
        await ImportAsync(writer, (added[0], "北辰范例科技有限公司"), (added[1], "南岳样例物流有限公司"), (added[2], "西岭示范纺织有限公司"));
        var staleUntilRefresh = await Registry(reader).FindAsync(added[0], CancellationToken.None);
        clock.Advance(Refresh);
        var linker = await Registry(reader).LinkerAsync(CancellationToken.None);

        Assert.Null(staleUntilRefresh);
        Assert.Equal(added[1], linker.Link("南岳样例物流被约谈").Enterprise?.Uscc);
        Assert.Equal("西岭示范纺织有限公司", (await Registry(reader).FindAsync(added[2], CancellationToken.None))?.Name);
        var after = Registry(reader).Reads;
        var read = (after.ChangeLines - before.ChangeLines, after.Enterprises - before.Enterprises, after.FullLoads - before.FullLoads);
        Assert.Equal((3L, 3L, 0L), read);
    }

    [Fact]
    public async Task Refresh_RenameAndRemoval_AreAppliedAndEqualAWholeReload()
    {
        var clock = Clock();
        await using var writer = await InstanceAsync(clock);
        await using var reader = await InstanceAsync(clock);
        var codes = Codes(3);
        await ImportAsync(writer, (codes[0], "青松样本医药有限公司"), (codes[1], "白云示例建材有限公司"), (codes[2], "金桥范例电子有限公司"));
        await Registry(reader).LinkerAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(1));

        await Registry(writer).UpsertAsync([new Enterprise(codes[0], "银河样本医药有限公司", null, [])], CancellationToken.None);
        Assert.True(await Registry(writer).RemoveAsync(codes[1], CancellationToken.None));
        Assert.False(await Registry(writer).RemoveAsync(codes[1], CancellationToken.None));
        clock.Advance(Refresh);
        var linker = await Registry(reader).LinkerAsync(CancellationToken.None);

        Assert.Equal(codes[0], linker.Link("银河样本医药召回药品").Enterprise?.Uscc);
        Assert.False(linker.Link("青松样本医药召回药品").IsLinked);
        Assert.Null(await Registry(reader).FindAsync(codes[1], CancellationToken.None));
        Assert.Equal(codes[2], linker.Link("金桥范例电子被通报").Enterprise?.Uscc);
        await using var fresh = await InstanceAsync(clock);
        var whole = await Registry(fresh).LinkerAsync(CancellationToken.None);
        Assert.Equal(1, Registry(fresh).Reads.FullLoads);
        Assert.Equal(Snapshot(whole), Snapshot(linker));
        Assert.Equal(1, Registry(reader).Reads.FullLoads);
    }

    [Fact]
    public async Task Refresh_WriterWhoseClockRunsBehind_IsSeenWithinTheOverlap()
    {
        var clock = Clock();
        var behind = new FakeTimeProvider(clock.GetUtcNow() - TimeSpan.FromSeconds(90));
        await using var writer = await InstanceAsync(behind);
        await using var reader = await InstanceAsync(clock);
        await Registry(reader).LinkerAsync(CancellationToken.None);
        Advance(TimeSpan.FromMinutes(1), clock, behind);
        await Registry(reader).LinkerAsync(CancellationToken.None); // the reader has now read up to its own "now"

        var late = Codes(1)[0];
        Advance(TimeSpan.FromSeconds(5), clock, behind);
        await ImportAsync(writer, (late, "远航样例化工有限公司")); // logged 90 s before the reader's last read
        Advance(Refresh, clock, behind);

        Assert.Equal("远航样例化工有限公司", (await Registry(reader).FindAsync(late, CancellationToken.None))?.Name);
        Assert.Equal(1, Registry(reader).Reads.FullLoads);
    }

    [Fact]
    public async Task Refresh_AfterTheLogWasPrunedPastItsLastRead_ReloadsWhole()
    {
        var clock = Clock();
        await using var writer = await InstanceAsync(clock);
        await using var reader = await InstanceAsync(clock);
        await Registry(reader).LinkerAsync(CancellationToken.None);
        var code = Codes(1)[0];
        clock.Advance(TimeSpan.FromMinutes(1));
        await ImportAsync(writer, (code, "中原示例食品有限公司"));

        clock.Advance(2 * Retention);
        await Registry(writer).LinkerAsync(CancellationToken.None); // loads, and prunes the lines older than the retention
        var log = await writer.GetRequiredService<EnterpriseTable>()
            .ChangesAfterAsync(EnterpriseTable.PositionAt(clock.GetUtcNow() - 4 * Retention), CancellationToken.None);
        var found = await Registry(reader).FindAsync(code, CancellationToken.None);

        Assert.DoesNotContain(log, l => l.Uscc == code);
        Assert.Equal("中原示例食品有限公司", found?.Name);
        Assert.Equal(2, Registry(reader).Reads.FullLoads);
    }

    private static EnterpriseRegistry Registry(IServiceProvider services) => services.GetRequiredService<EnterpriseRegistry>();

    private static FakeTimeProvider Clock() =>
        new(new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(30 * Interlocked.Increment(ref era)));

    private static void Advance(TimeSpan by, params FakeTimeProvider[] clocks)
    {
        foreach (var clock in clocks)
        {
            clock.Advance(by);
        }
    }

    /// <summary>Fresh valid codes: 18 characters that pass the check (the check character is computed).</summary>
    private static List<string> Codes(int count) =>
        Enumerable.Range(0, count).Select(_ => Uscc.WithCheckCharacter($"91330100MA{Random.Shared.Next(1_000_000, 9_999_999)}")).ToList();

    private static string Snapshot(EnterpriseLinker linker) => string.Join('\n', linker.Codes().Order(StringComparer.Ordinal)
        .Select(c => linker.Find(c)!)
        .Select(e => $"{e.Uscc}|{e.Name}|{e.EnglishName}|{string.Join('/', e.Aliases)}|{string.Join('/', e.FormerNames)}|{e.UsccFlag}"));

    private static async Task ImportAsync(IServiceProvider services, params (string Uscc, string Name)[] rows) =>
        await TestServices.ImportEnterprisesAsync(services, rows.Select(r => $"{r.Uscc},{r.Name},,").ToArray());

    private async Task<ServiceProvider> InstanceAsync(TimeProvider clock) =>
        await TestServices.BuildAsync(
            azurite.ConnectionString,
            new Dictionary<string, string?>
            {
                ["Enterprises:RefreshEvery"] = Refresh.ToString(),
                ["Enterprises:ChangeOverlap"] = Overlap.ToString(),
                ["Enterprises:ChangeRetention"] = Retention.ToString(),
            },
            services => services.AddSingleton(clock));
}
