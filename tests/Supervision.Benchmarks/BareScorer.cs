using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Supervision.Domain.Scoring;
using Supervision.Trainer;

namespace Supervision.Benchmarks;

/// <summary>
/// The scoring benchmark's reference: bare ML.NET of the shipped scorer's shape, trained here in
/// this process on the project's training data. Two polarity chains (English and Chinese, each
/// FeaturizeText with the trainer's own feature options and an L-BFGS logistic regression with the
/// trainer's settings) and one risk-category chain (FeaturizeText with the category options,
/// L-BFGS maximum entropy, key to label) that is asked only about texts scored adverse. A batch
/// is split by script, each part goes through its chain in one transform read by a single-threaded
/// cursor, as the shipped models do it; what this leaves out is everything the shipped scorer adds:
/// loading from model files, explanations, versions and the composed score.
/// </summary>
internal sealed class BareScorer
{
    private readonly MLContext ml;
    private readonly ITransformer english;
    private readonly ITransformer chinese;
    private readonly ITransformer category;

    private BareScorer(MLContext ml, ITransformer english, ITransformer chinese, ITransformer category)
    {
        this.ml = ml;
        this.english = english;
        this.chinese = chinese;
        this.category = category;
    }

    /// <summary>Trains the three chains on the training data, as the trainer fits its shipped models (all rows, its seed).</summary>
    public static BareScorer Train(TrainingData data)
    {
        var ml = new MLContext(ModelTrainers.DefaultSeed);
        ITransformer Polarity(TextLanguage language)
        {
            var rows = ml.Data.LoadFromEnumerable(data.Rows.Where(r => r.Language == language)
                .Select(r => new PolarityRow { IsAdverse = r.IsAdverse, Text = r.Text }).ToList());
            var features = ModelTrainers.PolarityFeatures(language);
            return ml.Transforms.Text.FeaturizeText(ModelContract.FeaturesColumn, features, ModelContract.TextColumn)
                .AppendCacheCheckpoint(ml)
                .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
                {
                    LabelColumnName = ModelContract.LabelColumn,
                    FeatureColumnName = ModelContract.FeaturesColumn,
                    L1Regularization = 0,
                    L2Regularization = ModelTrainers.PolarityL2,
                    NumberOfThreads = 1,
                }))
                .Fit(rows);
        }

        var categoryRows = ml.Data.LoadFromEnumerable(data.Rows.Where(r => r.Category is not null && r.IsAdverse)
            .Select(r => new CategoryRow { Category = r.Category!, Text = r.Text }).ToList());
        var keyed = ml.Transforms.Conversion.MapValueToKey(ModelContract.LabelColumn, nameof(CategoryRow.Category))
            .Fit(categoryRows)
            .Transform(categoryRows);
        var categoryFeatures = ModelTrainers.CategoryFeatures();
        var category = ml.Transforms.Text.FeaturizeText(ModelContract.FeaturesColumn, categoryFeatures, ModelContract.TextColumn)
            .AppendCacheCheckpoint(ml)
            .Append(ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = ModelContract.LabelColumn,
                FeatureColumnName = ModelContract.FeaturesColumn,
                L1Regularization = 0,
                L2Regularization = ModelTrainers.PolarityL2,
                NumberOfThreads = 1,
            }))
            .Append(ml.Transforms.Conversion.MapKeyToValue(ModelContract.PredictedLabelColumn))
            .Fit(keyed);
        return new BareScorer(ml, Polarity(TextLanguage.English), Polarity(TextLanguage.Chinese), category);
    }

    /// <summary>How many features a chain makes: the same as the shipped model's when both come from the same data.</summary>
    public int FeaturesOf(TextLanguage language)
    {
        var model = language == TextLanguage.Chinese ? chinese : english;
        var schema = model.GetOutputSchema(ml.Data.LoadFromEnumerable(Array.Empty<BareText>()).Schema);
        return (schema[ModelContract.FeaturesColumn].Type as VectorDataViewType)?.Size ?? 0;
    }

    /// <summary>Probability of adverse for every text, and the category label of the adverse ones (null for the rest).</summary>
    public (float[] Probabilities, string?[] Categories) ScoreBatch(IReadOnlyList<string> texts)
    {
        var probabilities = new float[texts.Count];
        foreach (var group in Enumerable.Range(0, texts.Count).GroupBy(i => LanguageDetector.Detect(texts[i])))
        {
            var indices = group.ToArray();
            var k = 0;
            Read<float>(group.Key == TextLanguage.Chinese ? chinese : english, [.. indices.Select(i => texts[i])],
                ModelContract.ProbabilityColumn, (ref value) => probabilities[indices[k++]] = value);
        }

        var categories = new string?[texts.Count];
        var adverse = Enumerable.Range(0, texts.Count).Where(i => probabilities[i] >= 0.5).ToArray();
        if (adverse.Length > 0)
        {
            var k = 0;
            Read<ReadOnlyMemory<char>>(category, [.. adverse.Select(i => texts[i])],
                ModelContract.PredictedLabelColumn, (ref value) => categories[adverse[k++]] = value.ToString());
        }

        return (probabilities, categories);
    }

    private delegate void Take<T>(ref T value);

    private void Read<T>(ITransformer model, List<string> texts, string column, Take<T> take)
    {
        var scored = model.Transform(ml.Data.LoadFromEnumerable(texts.Select(t => new BareText { Text = t })));
        var wanted = scored.Schema[column];
        using var cursor = scored.GetRowCursorSet([wanted], 1)[0];
        var get = cursor.GetGetter<T>(wanted);
        T value = default!;
        while (cursor.MoveNext())
        {
            get(ref value);
            take(ref value);
        }
    }

    private sealed class BareText
    {
        [ColumnName(ModelContract.TextColumn)]
        public string Text { get; set; } = string.Empty;
    }
}
