using System.Collections.Concurrent;
using System.IO.Compression;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;
using Supervision.Domain.Scoring;

namespace Supervision.Infrastructure.Scoring;

/// <summary>
/// One polarity model, loaded once: the ML.NET chain, its linear weights and feature names (for
/// explanations), and a pool of prediction engines, since an engine is not thread-safe.
/// </summary>
public sealed class PolarityModel
{
    private readonly MLContext ml;
    private readonly ITransformer model;
    private readonly float[] weights;
    private readonly float bias;
    private readonly PlattCalibrator calibrator;
    private readonly Lazy<string[]> slotNames;
    private readonly ConcurrentBag<PredictionEngine<TextInput, PolarityOutput>> engines = [];

    public PolarityModel(MLContext ml, string directory)
    {
        this.ml = ml;
        // The zip is read from disk once: ML.NET loads the model from these bytes, and the
        // feature names the trainer stored beside it come from the same bytes.
        var path = Path.Combine(directory, ModelContract.ModelFileName);
        var zipBytes = File.ReadAllBytes(path);
        using var stream = new MemoryStream(zipBytes, writable: false);
        model = ml.Model.Load(stream, out var inputSchema);

        Version = ModelFiles.ReadVersion(directory);
        var predictor = (model as TransformerChain<ITransformer>)?.LastTransformer as ISingleFeaturePredictionTransformer<object>;
        var calibrated = predictor?.Model as CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>
            ?? throw new InvalidDataException($"{directory}: not a calibrated linear binary model, so its scores cannot be explained");
        weights = [.. calibrated.SubModel.Weights];
        bias = calibrated.SubModel.Bias;
        calibrator = calibrated.Calibrator;
        var features = model.GetOutputSchema(inputSchema)[ModelContract.FeaturesColumn];
        var featureCount = (features.Type as VectorDataViewType)?.Size ?? 0;
        if (featureCount != weights.Length)
        {
            throw new InvalidDataException($"{directory}: {featureCount} features but {weights.Length} weights");
        }

        // The feature names (tens of thousands) are needed from the first explanation on, which
        // the probe gives while the model set loads. The trainer stores them in the zip; a model
        // without that entry has them rebuilt by its n-gram transforms, on first use.
        var stored = ReadFeatureNames(zipBytes, path, weights.Length);
        slotNames = stored is not null ? new Lazy<string[]>(stored) : new Lazy<string[]>(() => SlotNames(features));
    }

    private static string[]? ReadFeatureNames(byte[] zipBytes, string modelPath, int count)
    {
        using var zip = new ZipArchive(new MemoryStream(zipBytes, writable: false), ZipArchiveMode.Read);
        if (zip.GetEntry(ModelContract.FeatureNamesEntry) is not { } entry)
        {
            return null;
        }

        using var reader = new StreamReader(entry.Open(), System.Text.Encoding.UTF8);
        var names = reader.ReadToEnd().Split('\n');
        return names.Length == count
            ? names
            : throw new InvalidDataException($"{modelPath}: {names.Length} feature names for {count} weights");
    }

    private static string[] SlotNames(DataViewSchema.Column features)
    {
        var names = default(VBuffer<ReadOnlyMemory<char>>);
        features.GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    public string Version { get; }

    /// <summary>
    /// Scores a probe text and reads the explanation names, so that an unusable model fails here,
    /// before it is put in force, and the first real text finds an engine and the names ready.
    /// </summary>
    public PolarityModel Probed(string probe)
    {
        var (probability, _) = Score(probe, 1);
        if (double.IsNaN(probability) || probability is < 0 or > 1)
        {
            throw new InvalidDataException($"{Version}: a probe text scored {probability}, outside 0..1; the model is not usable");
        }

        return this;
    }

    public (double Probability, IReadOnlyList<NgramContribution> Explanation) Score(string text, int explanationSize)
    {
        if (!engines.TryTake(out var engine))
        {
            engine = ml.Model.CreatePredictionEngine<TextInput, PolarityOutput>(model);
        }

        try
        {
            var output = engine.Predict(new TextInput { Text = text });
            return (output.Probability, Explain(output.Features, explanationSize));
        }
        finally
        {
            engines.Add(engine);
        }
    }

    /// <summary>Scores many texts through one pass of the chain: no engine, no per-item allocation of a pipeline.</summary>
    public void ScoreBatch(
        IReadOnlyList<string> texts,
        Span<double> probabilities,
        IList<IReadOnlyList<NgramContribution>>? explanations,
        int explanationSize)
    {
        var scored = model.Transform(ml.Data.LoadFromEnumerable(texts.Select(t => new TextInput { Text = t })));
        var probability = scored.Schema[ModelContract.ProbabilityColumn];
        var features = scored.Schema[ModelContract.FeaturesColumn];
        // A text to explain has its features read, and its probability is taken from them: asking
        // the cursor for the probability as well ran the featurisation a second time (ML.NET's
        // getters do not share work), which halved batch throughput. The model is linear and
        // Platt-calibrated, so bias + weights·features through its calibrator is its probability.
        var explain = explanations is not null && explanationSize > 0;
        using var cursor = ScoringCursors.SingleThreaded(scored, explain ? [features] : [probability]);
        var getProbability = explain ? null : cursor.GetGetter<float>(probability);
        var getFeatures = explain ? cursor.GetGetter<VBuffer<float>>(features) : null;
        float value = 0;
        var vector = default(VBuffer<float>);
        var i = 0;
        while (cursor.MoveNext())
        {
            if (getFeatures is not null)
            {
                getFeatures(ref vector);
                probabilities[i] = calibrator.PredictProbability(bias + Dot(vector));
                explanations![i] = Explain(vector, explanationSize);
            }
            else
            {
                getProbability!(ref value);
                probabilities[i] = value;
                if (explanations is not null)
                {
                    explanations[i] = [];
                }
            }

            i++;
        }
    }

    private float Dot(VBuffer<float> features)
    {
        var indices = features.GetIndices();
        var values = features.GetValues();
        var sum = 0f;
        for (var k = 0; k < values.Length; k++)
        {
            sum += values[k] * weights[features.IsDense ? k : indices[k]];
        }

        return sum;
    }

    /// <summary>The n-grams with the largest |feature × weight|: what pushed this text's score most, either way.</summary>
    private NgramContribution[] Explain(VBuffer<float> features, int size)
    {
        if (size <= 0)
        {
            return [];
        }

        var indices = features.GetIndices();
        var values = features.GetValues();
        var top = new List<(int Index, double Contribution)>(size + 1);
        for (var k = 0; k < values.Length; k++)
        {
            var index = features.IsDense ? k : indices[k];
            var contribution = (double)values[k] * weights[index];
            if (contribution == 0)
            {
                continue;
            }

            var position = top.FindIndex(t => Math.Abs(t.Contribution) < Math.Abs(contribution));
            if (position < 0 && top.Count < size)
            {
                top.Add((index, contribution));
            }
            else if (position >= 0)
            {
                top.Insert(position, (index, contribution));
                if (top.Count > size)
                {
                    top.RemoveAt(size);
                }
            }
        }

        var names = slotNames.Value;
        return [.. top.Select(t => new NgramContribution(NgramNames.Readable(names[t.Index]), Math.Round(t.Contribution, 4)))];
    }

    private sealed class PolarityOutput
    {
        [ColumnName(ModelContract.ProbabilityColumn)]
        public float Probability { get; set; }

        [ColumnName(ModelContract.FeaturesColumn)]
        public VBuffer<float> Features { get; set; }
    }
}
