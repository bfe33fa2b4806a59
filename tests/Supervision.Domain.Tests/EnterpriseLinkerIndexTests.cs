using Supervision.Domain.Enterprises;

namespace Supervision.Domain.Tests;

/// <summary>The linker's index kept up to date change by change, against one built from scratch.</summary>
public class EnterpriseLinkerIndexTests
{
    private const string Cities = "华夏东方北辰南岳西岭中原远航星海青松白云金桥银河";
    private const string Trades = "食品化工科技物流纺织医药建材电子";

    [Fact]
    public void Upsert_ChangesOneByOne_LinkExactlyAsAnIndexBuiltFromScratch()
    {
        var all = Synthetic(240);
        using var incremental = new EnterpriseLinker(all.Take(160));
        foreach (var added in all.Skip(160))
        {
            incremental.Upsert(added);
        }

        // Renames (the old name kept as a former name for half of them) and removals.
        var final = all.ToDictionary(e => e.Uscc, StringComparer.Ordinal);
        foreach (var (renamed, i) in all.Where((_, i) => i % 7 == 0).Select((e, i) => (e, i)))
        {
            var now = renamed with { Name = $"新{renamed.Name}", FormerNames = i % 2 == 0 ? [renamed.Name] : [] };
            incremental.Upsert(now);
            final[now.Uscc] = now;
        }

        foreach (var removed in all.Where((_, i) => i % 11 == 3))
        {
            Assert.True(incremental.Remove(removed.Uscc));
            final.Remove(removed.Uscc);
        }

        using var scratch = new EnterpriseLinker(final.Values.Reverse());

        var texts = all.SelectMany(e => new[] { $"监管部门通报：{e.Name}涉嫌违规", $"{e.Aliases[0]}与{all[(all.IndexOf(e) + 1) % all.Count].Name}" })
            .Append("某地餐馆后厨卫生堪忧").ToList();
        var linked = 0;
        foreach (var text in texts)
        {
            var (a, b) = (incremental.Link(text), scratch.Link(text));
            Assert.Equal((b.Enterprise?.Uscc, b.Score, b.Explanation), (a.Enterprise?.Uscc, a.Score, a.Explanation));
            linked += a.IsLinked ? 1 : 0;
        }

        foreach (var name in all.Select(e => e.Name).Concat(all.Select(e => e.Name + "集团")))
        {
            var (a, b) = (incremental.LinkOrganisations([name]), scratch.LinkOrganisations([name]));
            Assert.Equal((b.Enterprise?.Uscc, b.Score, b.Explanation), (a.Enterprise?.Uscc, a.Score, a.Explanation));
        }

        Assert.Equal(final.Keys.Order(StringComparer.Ordinal), incremental.Codes().Order(StringComparer.Ordinal));
        Assert.True(linked > texts.Count / 3, $"only {linked} of {texts.Count} texts linked: the comparison says little");
    }

    [Fact]
    public void Upsert_Rename_LinksTheNewNameAndNoLongerTheOld()
    {
        var before = new Enterprise("91330100D3M0000018", "华夏示例食品有限公司", null, []);
        using var linker = new EnterpriseLinker([before]);

        linker.Upsert(before with { Name = "远航示例食品有限公司" });

        Assert.Equal(before.Uscc, linker.Link("远航示例食品被通报").Enterprise?.Uscc);
        Assert.False(linker.Link("华夏示例食品被通报").IsLinked);
        Assert.Equal("远航示例食品有限公司", linker.Find(before.Uscc)?.Name);
        Assert.Equal(1, linker.Count);
    }

    [Fact]
    public void Remove_Enterprise_IsNeitherLinkedNorFoundAndLeavesTheOthers()
    {
        var huaxia = new Enterprise("91330100D3M0000018", "华夏示例食品有限公司", "Huaxia Example Foods", []);
        var dongfang = new Enterprise("91310000D3M000002X", "东方样本化工股份有限公司", null, []);
        using var linker = new EnterpriseLinker([huaxia, dongfang]);

        Assert.True(linker.Remove(huaxia.Uscc));

        Assert.False(linker.Remove(huaxia.Uscc));
        Assert.Null(linker.Find(huaxia.Uscc));
        Assert.False(linker.Link("Regulators fined Huaxia Example Foods").IsLinked);
        Assert.Null(linker.MatchName("华夏示例食品有限公司"));
        Assert.Equal(dongfang.Uscc, linker.Link("华夏示例食品与东方样本化工同时被查").Enterprise?.Uscc);
    }

    [Fact]
    public void Link_SameNameRegisteredForTwoEnterprises_IsLeftForAnOperator()
    {
        using var linker = new EnterpriseLinker(
        [
            new Enterprise("91330100D3M0000018", "华夏示例食品有限公司", null, []),
            new Enterprise("91310000D3M000002X", "华夏示例食品股份有限公司", null, []),
        ]);

        var result = linker.Link("华夏示例食品被通报");

        Assert.False(result.IsLinked);
        Assert.Contains("more than one", result.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("华夏示例食品", true)]
    [InlineData("通报华夏示例食品", true)]
    [InlineData("华夏示例食品华夏示例食品", true)]
    [InlineData("华夏示例食", false)]
    [InlineData("夏示例食品", false)]
    public void Link_NameAtEitherEndOrRepeated_IsFoundExactlyWhereItOccurs(string text, bool linked)
    {
        using var linker = new EnterpriseLinker([new Enterprise("91330100D3M0000018", "华夏示例食品有限公司", null, [])]);

        Assert.Equal(linked, linker.Link(text).IsLinked);
    }

    [Fact]
    public async Task Link_WhileAnotherThreadAppliesChanges_NeverFailsAndEndsConsistent()
    {
        var all = Synthetic(200);
        using var linker = new EnterpriseLinker(all);
        using var stop = new CancellationTokenSource();
        var links = 0L;
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(() =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                Interlocked.Add(ref links, linker.Link($"通报：{all[(i + r) % all.Count].Name}").IsLinked ? 1 : 0);
                _ = linker.MatchName(all[i % all.Count].Name);
            }
        })).ToList();

        // Changes go on until the readers have linked a good many texts meanwhile (or 5 s pass).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var round = 0; round < 20 || Interlocked.Read(ref links) < 500 && watch.Elapsed < TimeSpan.FromSeconds(5); round++)
        {
            foreach (var enterprise in all.Where((_, i) => i % 5 == round % 5))
            {
                linker.Remove(enterprise.Uscc);
                linker.Upsert(enterprise);
            }
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers);
        Assert.True(Interlocked.Read(ref links) >= 500, $"the readers linked {links} texts while changes were applied");
        Assert.Equal(all.Count, linker.Count);
    }

    /// <summary>Enterprises with overlapping names (shared city and trade words), so ties and near matches occur.</summary>
    private static List<Enterprise> Synthetic(int count)
    {
        var random = new Random(14);
        var list = new List<Enterprise>();
        for (var i = 0; i < count; i++)
        {
            var city = Cities.Substring(random.Next(Cities.Length / 2) * 2, 2);
            var trade = Trades.Substring(random.Next(Trades.Length / 2) * 2, 2);
            var mark = (char)('甲' + (i % 60));
            var code = $"9133{i:D6}MA{random.Next(100000, 999999)}";
            list.Add(new Enterprise(code, $"{city}{mark}{trade}有限公司", $"{city} {mark} {trade} Co Ltd", [$"{city}{mark}{trade}"]));
        }

        return list;
    }
}
