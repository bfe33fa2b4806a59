using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Domain.Scoring;

namespace Supervision.Domain.Tests;

public class ScoringTests
{
    [Theory]
    [InlineData("The company was fined for selling expired milk", TextLanguage.English)]
    [InlineData("市场监管局对该公司罚款五万元", TextLanguage.Chinese)]
    [InlineData("华夏示例食品 AEO 认证被取消，ISO9001 证书也被暂停", TextLanguage.Chinese)]
    [InlineData("Huaxia Foods (华夏) fined for expired milk powder sold to supermarkets", TextLanguage.English)]
    [InlineData("2026-11-28 12:00 👍", TextLanguage.English)]
    [InlineData("", TextLanguage.English)]
    public void Detect_ByScript_PicksTheModelLanguage(string text, TextLanguage expected) =>
        Assert.Equal(expected, LanguageDetector.Detect(text));

    [Theory]
    [InlineData("Word.profit|fell", "profit fell")]
    [InlineData("Word.drawing", "drawing")]
    [InlineData("Char.<␂>|欠|薪", "欠薪")]
    [InlineData("Char.d|e|c|<␠>|l", "dec l")]
    [InlineData("Char.l|o|s|s|<␃>", "loss")]
    public void Readable_SlotNames_BecomeTheNgramsAReaderKnows(string slot, string expected) =>
        Assert.Equal(expected, NgramNames.Readable(slot));

    [Fact]
    public void Taxonomy_EveryCategoryHasAUniqueKeyAndOnlyDepartmentsTheMemorandaKnow()
    {
        var known = MemorandumCatalog.LoadEmbedded().Memoranda.SelectMany(m => m.Departments).Select(d => d.Department)
            .Append("inspection-quarantine").ToHashSet(StringComparer.Ordinal);

        Assert.Equal(Enum.GetValues<RiskCategory>().Length, RiskTaxonomy.Categories.Count);
        Assert.Equal(RiskTaxonomy.Categories.Count, RiskTaxonomy.Keys.Count);
        Assert.All(RiskTaxonomy.Categories.Where(c => c.Category != RiskCategory.None), c =>
        {
            Assert.NotEmpty(c.Departments);
            Assert.All(c.Departments, d => Assert.Contains(d, known));
            Assert.True(c.HalfLife > TimeSpan.Zero);
        });
        Assert.Equal(RiskCategory.Tax, RiskTaxonomy.FromKey("tax")?.Category);
        Assert.Null(RiskTaxonomy.FromKey("weather"));
    }

    [Fact]
    public void Explain_ListsModelCategoryAndNgrams()
    {
        var score = new SentimentScore(0.93, "polarity-en-abc", "en", RiskCategory.Tax, [new("tax evasion", 0.41), new("praised", -0.12)]);

        Assert.Equal("polarity-en-abc [tax]: \"tax evasion\" +0.410, \"praised\" -0.120", score.Explain());
    }

    [Fact]
    public void Compute_CategorisedSignal_FadesAtItsCategorysPace()
    {
        // Thirty days on, a tax finding (half-life 180 days) still weighs far more than a service
        // complaint (the configured 14 days).
        var now = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
        var calculator = new PortraitCalculator(new PortraitRules());
        Signal Adverse(string id, RiskCategory category) =>
            new("U", id, "s", id, 1.0, 1.0, now.AddDays(-30), "raw", "v", "link", category);

        var tax = calculator.Compute("U", [Adverse("tax", RiskCategory.Tax)], now);
        var complaint = calculator.Compute("U", [Adverse("complaint", RiskCategory.None)], now);

        Assert.Equal(Math.Pow(0.5, 30.0 / 180), tax.RiskIndex, 3);
        Assert.Equal(Math.Pow(0.5, 30.0 / 14), complaint.RiskIndex, 3);
        Assert.Equal("tax", tax.Contributions.Single().Category);
    }

    [Fact]
    public void Compute_RepeatedStory_WeighsByItsReach()
    {
        var now = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
        var calculator = new PortraitCalculator(new PortraitRules());
        Signal[] signals = [new("U", "story", "s", "t", 1.0, 1.0, now, "raw", "v", "link", RiskCategory.Fraud)];

        var alone = calculator.Compute("U", signals, now);
        var carried = calculator.Compute("U", signals, now, new Dictionary<string, int> { ["story"] = 4 });
        var viral = calculator.Compute("U", signals, now, new Dictionary<string, int> { ["story"] = 1000 });

        Assert.Equal(1.0, alone.RiskIndex, 6);
        Assert.Equal(2.0, carried.RiskIndex, 6); // 1 + 0.5·log2(4)
        Assert.Equal(2.5, viral.RiskIndex, 6);   // capped
        Assert.Equal(4, carried.Contributions.Single().Reach);
    }

    [Fact]
    public void Compute_SameSourceRetellsTheSameTrouble_CountsHalf_AnIndependentSourceCountsFully()
    {
        var now = new DateTimeOffset(2026, 11, 28, 0, 0, 0, TimeSpan.Zero);
        var calculator = new PortraitCalculator(new PortraitRules());
        Signal Adverse(string id, string source, RiskCategory category, double hoursAgo) =>
            new("U", id, source, id, 1.0, 1.0, now.AddHours(-hoursAgo), "raw", "v", "link", category);

        var portrait = calculator.Compute("U",
        [
            Adverse("first", "watch", RiskCategory.FoodDrug, 10),
            Adverse("follow-up", "watch", RiskCategory.FoodDrug, 5),
            Adverse("other-outlet", "news", RiskCategory.FoodDrug, 4),
            Adverse("other-trouble", "watch", RiskCategory.Labour, 3),
        ], now);

        var novelty = portrait.Contributions.ToDictionary(c => c.ItemId, c => c.Novelty);
        Assert.Equal(1, novelty["first"]);
        Assert.Equal(0.5, novelty["follow-up"]);
        Assert.Equal(1, novelty["other-outlet"]);
        Assert.Equal(1, novelty["other-trouble"]);
    }
}
