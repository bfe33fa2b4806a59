using System.Text.Json;
using Supervision.Domain.Scoring;

namespace Supervision.Trainer.Tests;

public class ModelTrainersTests
{
    private static readonly string Root = ModelPaths.FindRepositoryRoot();
    private static readonly Lazy<TrainingData> Data = new(() => TrainingData.Load(TrainingData.DataDirectory(Root)));

    [Fact]
    public void TrainAll_SameDataAndSeedTwice_GivesTheSameModelCards()
    {
        var first = new ModelTrainers(TextWriter.Null).TrainAll(Data.Value, TempDirectory());
        var second = new ModelTrainers(TextWriter.Null).TrainAll(Data.Value, TempDirectory());

        Assert.Equal(first.Select(Json), second.Select(Json));
    }

    [Fact]
    public void TrainAll_TrackedModelCards_MatchWhatTheTrainerProducesNow()
    {
        // The cards in ml-models/models are tracked; if the data or the trainer changes without
        // retraining, the recorded metrics would no longer be reproducible.
        var fresh = TempDirectory();
        new ModelTrainers(TextWriter.Null).TrainAll(Data.Value, fresh);

        foreach (var name in ModelContract.ModelNames)
        {
            var tracked = Path.Combine(ModelPaths.ModelsDirectory(Root), name, ModelContract.CardFileName);
            Assert.Equal(File.ReadAllText(tracked), File.ReadAllText(Path.Combine(fresh, name, ModelContract.CardFileName)));
        }
    }

    [Fact]
    public void TrainPolarity_WritesModelAndCardThatAgree()
    {
        var directory = TempDirectory();

        var card = new ModelTrainers(TextWriter.Null).TrainPolarity(Data.Value, TextLanguage.Chinese, directory);

        Assert.True(new FileInfo(Path.Combine(directory, ModelContract.ModelFileName)).Length > 0);
        var written = ModelCard.Read(Path.Combine(directory, ModelContract.CardFileName));
        Assert.Equal(card.Version, written.Version);
        Assert.Equal("zh", written.Language);
        Assert.StartsWith(ModelContract.ChinesePolarity + "-", written.Version, StringComparison.Ordinal);
        Assert.Equal(card.Rows, Data.Value.Rows.Count(r => r.Language == TextLanguage.Chinese));
        Assert.InRange(written.Metrics.Values.Single(v => v.Key == "AUC").Value, 0.75, 1.0);
        Assert.Contains(written.Data, f => f.File == "corpus/zh.tsv");
        Assert.DoesNotContain(written.Data, f => f.File.Contains("uci", StringComparison.Ordinal));
        Assert.Contains("Held-out metrics", File.ReadAllText(Path.Combine(directory, "MODEL_CARD.md")), StringComparison.Ordinal);
    }

    [Fact]
    public void TrainRiskCategory_CardListsEveryCategoryAndOnlyTheCorpus()
    {
        var directory = TempDirectory();

        var card = new ModelTrainers(TextWriter.Null).TrainRiskCategory(Data.Value, directory);

        foreach (var key in RiskTaxonomy.Keys)
        {
            Assert.Contains(key, card.Task, StringComparison.Ordinal);
        }

        Assert.All(card.Data, f => Assert.StartsWith("corpus/", f.File, StringComparison.Ordinal));
        Assert.Equal(Data.Value.Rows.Count(r => r.Category is not null && r.IsAdverse), card.Rows);
    }

    [Fact]
    public void Load_ShippedCorpus_HasSeveralThousandTextsInBothLanguagesAndEveryCategory()
    {
        var corpus = Data.Value.Rows.Where(r => r.Category is not null).ToList();

        Assert.True(corpus.Count >= 2500, $"{corpus.Count} corpus rows");
        Assert.True(corpus.Count(r => r.Language == TextLanguage.Chinese) >= 1000);
        Assert.True(corpus.Count(r => r.Language == TextLanguage.English) >= 1000);
        foreach (var key in RiskTaxonomy.Keys)
        {
            Assert.True(corpus.Count(r => r.Category == key && r.IsAdverse) >= 30, $"category {key} has too few adverse rows");
        }

        Assert.Equal(3000, Data.Value.Rows.Count(r => r.Category is null));
    }

    [Fact]
    public void Write_EvaluationOfThisVersionBeside_StatesTheExternalFiguresInTheCard()
    {
        var models = TempDirectory();
        var folder = Path.Combine(models, ModelContract.ChinesePolarity);
        var card = new ModelTrainers(TextWriter.Null).TrainPolarity(Data.Value, TextLanguage.Chinese, folder);
        Assert.Contains("has not been evaluated", File.ReadAllText(Path.Combine(folder, "MODEL_CARD.md")), StringComparison.Ordinal);
        Evaluation.EvaluationRow[] rows =
        [
            new("chnsenticorp", "model " + card.Version, new Evaluation.BinaryMetrics(10, 4, 0.861, 0.8, 0.7)),
            new("chnsenticorp", "lexicon x", new Evaluation.BinaryMetrics(10, 4, 0.743, 0.7, 0.5)),
            new("fpb", "model polarity-en-other", new Evaluation.BinaryMetrics(10, 4, 0.9, 0.8, 0.7)),
        ];
        File.WriteAllText(Path.Combine(models, "evaluation.json"), JsonSerializer.Serialize(rows, ModelCard.JsonOptions));

        card.Write(folder);

        var markdown = File.ReadAllText(Path.Combine(folder, "MODEL_CARD.md"));
        Assert.Contains("| chnsenticorp | 0.861 | 0.743 | 0.800 | 0.700 | – |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| fpb |", markdown, StringComparison.Ordinal);
    }

    private static string Json(ModelCard card) => JsonSerializer.Serialize(card, ModelCard.JsonOptions);

    internal static string TempDirectory()
    {
        var directory = Path.Combine(Path.GetTempPath(), "supervision-trainer-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        return directory;
    }
}
