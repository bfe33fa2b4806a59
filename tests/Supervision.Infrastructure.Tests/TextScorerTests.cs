using Microsoft.Extensions.Options;
using Supervision.Domain.Scoring;
using Supervision.Infrastructure.Scoring;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>The scorer over models our trainer produced; nothing here needs storage.</summary>
public class TextScorerTests
{
    private static readonly Lazy<MlNetTextScorer> Scorer = new(() =>
        new MlNetTextScorer(Options.Create(new ScoringOptions { ModelDirectory = TestModel.Directory })));

    [Fact]
    public void Score_EnglishAdverseNews_IsReadByTheEnglishModelWithACategoryAndItsNgrams()
    {
        var score = Scorer.Value.Score("Customs seized smuggled frozen meat hidden in the company's containers");

        Assert.True(score.NegativeProbability > 0.5, $"p = {score.NegativeProbability}");
        Assert.Equal("en", score.Language);
        Assert.StartsWith(ModelContract.EnglishPolarity + "-", score.ModelVersion, StringComparison.Ordinal);
        Assert.Contains("+" + ModelContract.RiskCategoryModel + "-", score.ModelVersion, StringComparison.Ordinal);
        Assert.Equal(RiskCategory.Customs, score.Category);
        Assert.NotNull(score.Explanation);
        Assert.InRange(score.Explanation.Count, 1, 5);
        Assert.Contains(score.Explanation, c => c.Weight > 0);
    }

    [Fact]
    public void Score_ChinesePraise_IsReadByTheChineseModelAndGetsNoCategory()
    {
        var score = Scorer.Value.Score("北辰范例科技按时足额发放工资，获评诚信经营示范单位");

        Assert.True(score.NegativeProbability < 0.5, $"p = {score.NegativeProbability}");
        Assert.Equal("zh", score.Language);
        Assert.StartsWith(ModelContract.ChinesePolarity + "-", score.ModelVersion, StringComparison.Ordinal);
        Assert.Equal(RiskCategory.None, score.Category);
        Assert.Contains(score.Explanation!, c => c.Weight < 0);
    }

    [Fact]
    public void Score_Explanation_NamesNgramsThatAreInTheText()
    {
        const string text = "税务机关查明该公司虚开增值税发票偷逃税款";

        var score = Scorer.Value.Score(text);

        Assert.Equal(RiskCategory.Tax, score.Category);
        Assert.All(score.Explanation!, c => Assert.Contains(c.Ngram, text, StringComparison.Ordinal));
        Assert.Equal(score.Explanation!.OrderByDescending(c => Math.Abs(c.Weight)), score.Explanation);
    }

    [Fact]
    public void Score_ModelWithoutStoredFeatureNames_ExplainsWithTheSameNgrams()
    {
        // A set whose zips lack the names the trainer stores (one trained before they were
        // stored): the scorer rebuilds the names from the n-gram transforms, and they must agree.
        var copy = Path.Combine(Path.GetTempPath(), "supervision-tests", "no-feature-names-" + Guid.NewGuid().ToString("N"));
        foreach (var name in ModelContract.ModelNames)
        {
            Directory.CreateDirectory(Path.Combine(copy, name));
            foreach (var file in new[] { ModelContract.ModelFileName, ModelContract.CardFileName })
            {
                File.Copy(Path.Combine(TestModel.Directory, name, file), Path.Combine(copy, name, file));
            }

            using var zip = System.IO.Compression.ZipFile.Open(
                Path.Combine(copy, name, ModelContract.ModelFileName), System.IO.Compression.ZipArchiveMode.Update);
            zip.GetEntry(ModelContract.FeatureNamesEntry)?.Delete();
        }

        var rebuilt = new MlNetTextScorer(Options.Create(new ScoringOptions { ModelDirectory = copy }));

        foreach (var text in new[] { "The developer failed to repay its bonds to investors", "税务机关查明该公司虚开增值税发票偷逃税款" })
        {
            Assert.Equal(Scorer.Value.Score(text).Explanation, rebuilt.Score(text).Explanation);
        }
    }

    [Fact]
    public void PolarityModels_StoreOneFeatureNamePerWeight()
    {
        foreach (var name in new[] { ModelContract.EnglishPolarity, ModelContract.ChinesePolarity })
        {
            using var zip = System.IO.Compression.ZipFile.OpenRead(Path.Combine(TestModel.Directory, name, ModelContract.ModelFileName));
            using var reader = new StreamReader(zip.GetEntry(ModelContract.FeatureNamesEntry)!.Open());
            var names = reader.ReadToEnd().Split('\n');
            Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
            Assert.Contains(names, n => n.StartsWith(name == ModelContract.EnglishPolarity ? "Word." : "<", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Score_ManyThreadsAtOnce_GiveWhatOneThreadGives()
    {
        // The three models share one MLContext and pool their engines; scoring from many threads
        // (as the queue handler does) must not mix up texts or answers.
        string[] texts = ["The developer failed to repay its bonds", "外卖送了两个小时，饭菜全凉了", "Net sales increased by 12 percent", "公司按时足额发放工资"];
        var expected = texts.Select(t => Scorer.Value.Score(t)).ToArray();
        var results = new SentimentScore[400];

        Parallel.For(0, results.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
            results[i] = i % 5 == 0 ? Scorer.Value.ScoreBatch([texts[i % texts.Length]])[0] : Scorer.Value.Score(texts[i % texts.Length]));

        for (var i = 0; i < results.Length; i++)
        {
            var want = expected[i % texts.Length];
            Assert.Equal(want.NegativeProbability, results[i].NegativeProbability, 5);
            Assert.Equal(want.Category, results[i].Category);
            Assert.Equal(want.Explanation!.Select(c => c.Ngram), results[i].Explanation!.Select(c => c.Ngram));
        }
    }

    [Fact]
    public void ScoreBatch_MixedLanguages_GivesWhatScoringOneByOneGives()
    {
        string[] texts =
        [
            "The developer failed to repay its bonds",
            "外卖送了两个小时，饭菜全凉了",
            "Net sales increased by 12 percent",
            "公司总部位于苏州",
            "",
        ];

        var batch = Scorer.Value.ScoreBatch(texts);

        Assert.Equal(texts.Length, batch.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            var single = Scorer.Value.Score(texts[i]);
            Assert.Equal(single.NegativeProbability, batch[i].NegativeProbability, 5);
            Assert.Equal(single.Language, batch[i].Language);
            Assert.Equal(single.Category, batch[i].Category);
            Assert.Equal(single.Explanation!.Select(c => c.Ngram), batch[i].Explanation!.Select(c => c.Ngram));
        }
    }

    [Fact]
    public void Score_FromManyThreadsAtOnce_AgreesWithOneThread()
    {
        const string text = "Workers protest after the firm failed to pay wages for three months";
        var expected = Scorer.Value.Score(text).NegativeProbability;

        var results = new double[64];
        Parallel.For(0, results.Length, i => results[i] = Scorer.Value.Score(text).NegativeProbability);

        Assert.All(results, r => Assert.Equal(expected, r));
    }
}
