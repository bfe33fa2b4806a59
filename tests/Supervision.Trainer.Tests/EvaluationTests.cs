using System.Text;
using Supervision.Trainer.Evaluation;

namespace Supervision.Trainer.Tests;

public class EvaluationTests
{
    private static readonly string Lexicons = ModelPaths.LexiconDirectory(ModelPaths.FindRepositoryRoot());

    [Fact]
    public void Compute_PerfectRanking_IsAucOne()
    {
        var metrics = BinaryMetrics.Compute([true, true, false, false], [0.9, 0.8, 0.2, 0.1], [true, true, false, false]);

        Assert.Equal(1.0, metrics.Auc);
        Assert.Equal(1.0, metrics.Accuracy);
        Assert.Equal(1.0, metrics.F1Adverse);
    }

    [Fact]
    public void Compute_AllScoresTied_IsAucOneHalfWhateverTheOrder()
    {
        var metrics = BinaryMetrics.Compute([true, false, true, false], [0, 0, 0, 0], [false, false, false, false]);

        Assert.Equal(0.5, metrics.Auc);
        Assert.Equal(0.5, metrics.Accuracy);
        Assert.Equal(0.0, metrics.F1Adverse);
    }

    [Fact]
    public void Compute_OneInversion_CountsHalfOfTheFourPairs()
    {
        // Pairs (adverse, not): (0.9,0.5) right, (0.9,0.1) right, (0.3,0.5) wrong, (0.3,0.1) right.
        var metrics = BinaryMetrics.Compute([true, true, false, false], [0.9, 0.3, 0.5, 0.1], [true, false, true, false]);

        Assert.Equal(0.75, metrics.Auc);
        Assert.Equal(0.5, metrics.F1Adverse);
    }

    [Fact]
    public void EnglishLexicon_SumsWordsAndPrefersPhrases()
    {
        var lexicon = Lexicon.Load(Path.Combine(Lexicons, "afinn-165-financialmarketnews.json"), "en", chinese: false);

        Assert.True(lexicon.Score("The company faces bankruptcy after heavy losses") < 0);
        Assert.True(lexicon.Score("Profits rose and the outlook improved") > 0);
        Assert.Equal(0, lexicon.Score("The meeting is on Tuesday"));
    }

    [Fact]
    public void ChineseLexicon_FindsWordsWithoutSpacesByLongestMatch()
    {
        var lexicon = Lexicon.Load(Path.Combine(Lexicons, "afinn-zh.json"), "zh", chinese: true);

        Assert.True(lexicon.Score("这家酒店不卫生，服务不专业") < 0);
        Assert.Equal(0, lexicon.Score("公司位于苏州"));
    }

    [Fact]
    public void ExternalSets_ReadEachFormat()
    {
        var directory = ModelTrainersTests.TempDirectory();
        var fpb = Path.Combine(directory, "fpb.txt");
        File.WriteAllText(fpb, "Sales fell sharply .@negative\nThe plant is in Oulu .@neutral\nProfit rose .@positive\n", Encoding.Latin1);
        var reviews = Path.Combine(directory, "reviews.csv");
        File.WriteAllText(reviews, "label,review\n1,\"房间干净,服务好\"\n0,太差了\n");
        var semeval = Path.Combine(directory, "semeval.json");
        File.WriteAllText(semeval, """[{"id":1,"company":"A","title":"A falls","sentiment":-0.4},{"id":2,"company":"B","title":"B flat","sentiment":0}]""");

        Assert.Equal([true, false, false], ExternalSets.Fpb(fpb).Items.Select(i => i.IsAdverse));
        var chinese = ExternalSets.ChineseReviews("hotel", reviews, "test");
        Assert.Equal(["房间干净,服务好", "太差了"], chinese.Items.Select(i => i.Text));
        Assert.Equal([false, true], chinese.Items.Select(i => i.IsAdverse));
        Assert.Equal([true, false], ExternalSets.SemEval(semeval).Items.Select(i => i.IsAdverse));
    }
}
