using System.Text.Json;

namespace Supervision.Trainer.Tests;

public class SentimentTrainerTests
{
    private static readonly string Data = ModelPaths.SentimentData(ModelPaths.FindRepositoryRoot());

    [Fact]
    public void Train_SameDataAndSeedTwice_GivesTheSameModelCard()
    {
        var first = new SentimentTrainer(TextWriter.Null).Train(Data, TempDirectory());
        var second = new SentimentTrainer(TextWriter.Null).Train(Data, TempDirectory());

        Assert.Equal(first, second);
    }

    [Fact]
    public void Train_WritesModelAndCardThatAgree()
    {
        var directory = TempDirectory();

        var card = new SentimentTrainer(TextWriter.Null).Train(Data, directory);

        Assert.True(new FileInfo(Path.Combine(directory, SentimentTrainer.ModelFileName)).Length > 0);
        using var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, SentimentTrainer.CardFileName)));
        Assert.Equal(card.Version, written.RootElement.GetProperty("version").GetString());
        Assert.Equal(card.Rows, written.RootElement.GetProperty("rows").GetInt32());
        Assert.InRange(card.Metrics.Auc, 0.5, 1.0);
    }

    [Fact]
    public void Train_TrackedModelCard_MatchesWhatTheTrainerProducesNow()
    {
        // The card in ml-models/models is tracked; if the data or trainer changes without
        // retraining, the recorded metrics would no longer be reproducible.
        var tracked = Path.Combine(ModelPaths.SentimentModelDirectory(ModelPaths.FindRepositoryRoot()), SentimentTrainer.CardFileName);
        var fresh = TempDirectory();
        new SentimentTrainer(TextWriter.Null).Train(Data, fresh);

        Assert.Equal(File.ReadAllText(tracked), File.ReadAllText(Path.Combine(fresh, SentimentTrainer.CardFileName)));
    }

    [Fact]
    public void ReadRows_MalformedLine_NamesTheLine()
    {
        var file = Path.Combine(TempDirectory(), "bad.tsv");
        File.WriteAllLines(file, ["label\tlanguage\ttext", "1\ten\tfine", "maybe\ten\tbad label"]);

        var error = Assert.Throws<FormatException>(() => SentimentTrainer.ReadRows(file));

        Assert.Contains("bad.tsv:3", error.Message, StringComparison.Ordinal);
    }

    private static string TempDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "supervision-trainer-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}
