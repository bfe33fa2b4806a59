using System.Reflection;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Microsoft.ML.Transforms.Text;

namespace Supervision.Trainer;

/// <summary>
/// Trains the adverse-news classifier: character and word n-grams (characters carry Chinese,
/// which has no spaces to split words on), cached, then SDCA logistic regression. Seeded, so the
/// same data gives the same metrics.
/// </summary>
public sealed class SentimentTrainer(TextWriter progress)
{
    public const string ModelName = "sentiment";
    public const string ModelFileName = "model.zip";
    public const string CardFileName = "model-card.json";
    public const int DefaultSeed = 20261128;
    private const double TestFraction = 0.2;

    public ModelCard Train(string dataFile, string outputDirectory, int seed = DefaultSeed)
    {
        var bytes = File.ReadAllBytes(dataFile);
        var dataSha = Convert.ToHexStringLower(SHA256.HashData(bytes));
        var rows = ReadRows(dataFile);
        progress.WriteLine($"[train] {rows.Count} rows from {dataFile} (sha256 {dataSha[..12]})");

        var ml = new MLContext(seed);
        var data = ml.Data.LoadFromEnumerable(rows);
        var pipeline = BuildPipeline(ml);

        var split = ml.Data.TrainTestSplit(data, TestFraction, seed: seed);
        progress.WriteLine("[train] fitting on the training split for held-out metrics");
        var held = pipeline.Fit(split.TrainSet);
        var evaluation = ml.BinaryClassification.Evaluate(held.Transform(split.TestSet));
        var testRows = (int)(ml.Data.CreateEnumerable<SentimentRow>(split.TestSet, reuseRowObject: false).Count());
        var metrics = new ModelMetrics(testRows, Round(evaluation.AreaUnderRocCurve), Round(evaluation.Accuracy), Round(evaluation.F1Score));
        progress.WriteLine($"[train] held-out AUC {metrics.Auc:F3}, accuracy {metrics.Accuracy:F3}, F1 {metrics.F1:F3}");

        progress.WriteLine("[train] fitting the shipped model on all rows");
        var model = pipeline.Fit(data);

        Directory.CreateDirectory(outputDirectory);
        var modelPath = Path.Combine(outputDirectory, ModelFileName);
        ml.Model.Save(model, data.Schema, modelPath);

        var card = new ModelCard(
            Name: ModelName,
            Version: $"{ModelName}-{dataSha[..12]}-s{seed}",
            Trainer: "SdcaLogisticRegression",
            MlNetVersion: MlNetPackageVersion(),
            DataFile: Path.GetFileName(dataFile),
            DataSha256: dataSha,
            DataLicence: "MIT (written for this project; see ml-models/data/LICENSE-data.txt)",
            Rows: rows.Count,
            Seed: seed,
            TestFraction: TestFraction,
            Features: "FeaturizeText: word 1-2 grams + character 1-3 grams, L2-normalised",
            InputColumn: SentimentModelContract.TextColumn,
            OutputColumn: SentimentModelContract.ProbabilityColumn,
            Metrics: metrics);
        File.WriteAllText(Path.Combine(outputDirectory, CardFileName), JsonSerializer.Serialize(card, ModelCard.JsonOptions) + "\n");
        File.WriteAllText(Path.Combine(outputDirectory, "MODEL_CARD.md"), card.ToMarkdown());
        progress.WriteLine($"[train] wrote {modelPath} as version {card.Version}");
        return card;
    }

    public static IReadOnlyList<SentimentRow> ReadRows(string dataFile)
    {
        var rows = new List<SentimentRow>();
        var lineNumber = 0;
        foreach (var line in File.ReadLines(dataFile))
        {
            lineNumber++;
            if (lineNumber == 1 || string.IsNullOrWhiteSpace(line))
            {
                continue; // header
            }

            var fields = line.Split('\t');
            if (fields.Length != 3 || fields[0] is not ("0" or "1") || string.IsNullOrWhiteSpace(fields[2]))
            {
                throw new FormatException($"{dataFile}:{lineNumber}: expected 'label<TAB>language<TAB>text' with label 0 or 1");
            }

            rows.Add(new SentimentRow { IsAdverse = fields[0] == "1", Text = fields[2] });
        }

        return rows;
    }

    private static EstimatorChain<BinaryPredictionTransformer<CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>>> BuildPipeline(MLContext ml)
    {
        var featurizer = new TextFeaturizingEstimator.Options
        {
            CaseMode = TextNormalizingEstimator.CaseMode.Lower,
            KeepPunctuations = false,
            WordFeatureExtractor = new WordBagEstimator.Options { NgramLength = 2, UseAllLengths = true },
            CharFeatureExtractor = new WordBagEstimator.Options { NgramLength = 3, UseAllLengths = true },
            Norm = TextFeaturizingEstimator.NormFunction.L2,
        };

        return ml.Transforms.Text.FeaturizeText("Features", featurizer, SentimentModelContract.TextColumn)
            .AppendCacheCheckpoint(ml)
            .Append(ml.BinaryClassification.Trainers.SdcaLogisticRegression(
                labelColumnName: SentimentModelContract.LabelColumn, featureColumnName: "Features"));
    }

    /// <summary>The package version (5.0.1), not the assembly version, which ML.NET keeps at 1.0.0.0.</summary>
    private static string MlNetPackageVersion()
    {
        var informational = typeof(MLContext).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        return informational.Split('+')[0];
    }

    private static double Round(double value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);
}
