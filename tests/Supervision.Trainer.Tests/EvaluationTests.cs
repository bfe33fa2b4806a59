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
        File.WriteAllText(
            semeval,
            """[{"id":1,"company":"A","title":"A falls","sentiment":-0.4},{"id":2,"company":"B","title":"B flat","sentiment":0}]""");

        Assert.Equal([true, false, false], ExternalSets.Fpb(fpb).Items.Select(i => i.IsAdverse));
        var chinese = ExternalSets.ChineseReviews("hotel", reviews, "test");
        Assert.Equal(["房间干净,服务好", "太差了"], chinese.Items.Select(i => i.Text));
        Assert.Equal([false, true], chinese.Items.Select(i => i.IsAdverse));
        Assert.Equal([true, false], ExternalSets.SemEval(semeval).Items.Select(i => i.IsAdverse));
    }

    [Fact]
    public void InReadHalf_SplitsByAHashOfTheTextAboutEvenly()
    {
        var texts = Enumerable.Range(0, 2000).Select(i => $"Sales fell {i} percent").ToList();

        Assert.InRange(texts.Count(ExternalSets.InReadHalf), 900, 1100);
        // Pinned: the halves must not move between runs or machines, or the unread half would get read.
        Assert.False(ExternalSets.InReadHalf("Profit rose ."));
        Assert.True(ExternalSets.InReadHalf("Sales fell sharply ."));
    }

    [Fact]
    public void Evaluate_ShowErrors_PrintsOnlyTheReadHalfAndMeasuresTheUnreadHalfApart()
    {
        var root = ModelPaths.FindRepositoryRoot();
        var texts = Enumerable.Range(0, 40)
            .Select(i => i % 2 == 0 ? $"Net sales rose {i} percent to a record" : $"The company cut {i} jobs after a loss")
            .ToList();
        // Every label inverted, so every text is a mistake the evaluator could print.
        var set = new ExternalSet(
            "inverted", Supervision.Domain.Scoring.TextLanguage.English, "test", [.. texts.Select((t, i) => (t, i % 2 == 0))]);
        var progress = new StringWriter();
        // Models trained here: the shipped zips are build output (CI trains them), not tracked files.
        var models = ModelTrainersTests.TempDirectory();
        new ModelTrainers(TextWriter.Null).TrainAll(TrainingData.Load(TrainingData.DataDirectory(root)), models);

        var rows = new Evaluator(models, ModelPaths.LexiconDirectory(root), progress, showErrors: 100).Evaluate([set]);

        var printed = progress.ToString().ReplaceLineEndings("\n");
        Assert.All(
            texts.Where(t => !ExternalSets.InReadHalf(t)),
            t => Assert.DoesNotContain("] " + t + "\n", printed, StringComparison.Ordinal));
        Assert.All(
            texts.Where(ExternalSets.InReadHalf),
            t => Assert.Contains("] " + t + "\n", printed, StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Equal(texts.Count(t => !ExternalSets.InReadHalf(t)), r.UnreadHalf!.Items));
    }
}
