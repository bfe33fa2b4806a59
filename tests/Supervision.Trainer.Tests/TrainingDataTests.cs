using Supervision.Domain.Scoring;

namespace Supervision.Trainer.Tests;

public class TrainingDataTests
{
    [Theory]
    [InlineData("maybe\tnone\tbad polarity", "polarity")]
    [InlineData("-\tweather\tnot a category", "'weather' is not a risk category")]
    [InlineData("-\tnone", "polarity<TAB>category<TAB>text")]
    [InlineData("-\tnone\t公司拖欠工资", "does not read as en")]
    public void ReadCorpus_BadRow_NamesFileLineAndReason(string row, string reason)
    {
        var file = Write("polarity\tcategory\ttext", "+\tnone\tA fine sentence", row);

        var error = Assert.Throws<FormatException>(() => TrainingData.ReadCorpus(file, TextLanguage.English));

        Assert.Contains(Path.GetFileName(file) + ":3", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCorpus_RepeatedText_IsRefused()
    {
        var file = Write(
            "polarity\tcategory\ttext", "-\tfinance\tThe firm missed a bond payment", "-\tfinance\tThe firm missed a bond payment");

        var error = Assert.Throws<FormatException>(() => TrainingData.ReadCorpus(file, TextLanguage.English));

        Assert.Contains("appears twice", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadCorpus_GoodRows_CarryPolarityCategoryAndLanguage()
    {
        var file = Write("polarity\tcategory\ttext", "-\ttax\t公司虚开增值税发票", "0\tnone\t公司总部位于苏州", "+\tnone\t服务很好");

        var rows = TrainingData.ReadCorpus(file, TextLanguage.Chinese);

        Assert.Equal([true, false, false], rows.Select(r => r.IsAdverse));
        Assert.Equal(["tax", "none", "none"], rows.Select(r => r.Category));
        Assert.All(rows, r => Assert.Equal(TextLanguage.Chinese, r.Language));
    }

    [Fact]
    public void ReadUci_SkipsTheEmptyRowAndMapsClassZeroToAdverse()
    {
        var file = Path.Combine(ModelTrainersTests.TempDirectory(), "uci.json");
        File.WriteAllText(file, """[{"text":"Great phone.","class":1},{"text":"Broke in a day.","class":0},{"text":"","class":null}]""");

        var rows = TrainingData.ReadUci(file);

        Assert.Equal(2, rows.Count);
        Assert.False(rows[0].IsAdverse);
        Assert.True(rows[1].IsAdverse);
        Assert.All(rows, r => Assert.Null(r.Category));
    }

    private static string Write(params string[] lines)
    {
        var file = Path.Combine(ModelTrainersTests.TempDirectory(), "corpus.tsv");
        File.WriteAllLines(file, lines);
        return file;
    }
}
