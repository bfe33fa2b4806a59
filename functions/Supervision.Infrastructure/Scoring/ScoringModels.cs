using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json;
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
        var linear = (predictor?.Model as CalibratedModelParametersBase<LinearBinaryModelParameters, PlattCalibrator>)?.SubModel
            ?? throw new InvalidDataException($"{directory}: not a calibrated linear binary model, so its scores cannot be explained");
        weights = [.. linear.Weights];
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
    public void ScoreBatch(IReadOnlyList<string> texts, Span<double> probabilities, IList<IReadOnlyList<NgramContribution>>? explanations, int explanationSize)
    {
        var scored = model.Transform(ml.Data.LoadFromEnumerable(texts.Select(t => new TextInput { Text = t })));
        var probability = scored.Schema[ModelContract.ProbabilityColumn];
        var features = scored.Schema[ModelContract.FeaturesColumn];
        using var cursor = ScoringCursors.SingleThreaded(scored, explanations is null ? [probability] : [probability, features]);
        var getProbability = cursor.GetGetter<float>(probability);
        var getFeatures = explanations is null ? null : cursor.GetGetter<VBuffer<float>>(features);
        float value = 0;
        var vector = default(VBuffer<float>);
        var i = 0;
        while (cursor.MoveNext())
        {
            getProbability(ref value);
            probabilities[i] = value;
            if (getFeatures is not null)
            {
                getFeatures(ref vector);
                explanations![i] = Explain(vector, explanationSize);
            }

            i++;
        }
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

/// <summary>The risk-category model, loaded once, with its own pool of prediction engines.</summary>
public sealed class CategoryModel
{
    private readonly MLContext ml;
    private readonly ITransformer model;
    private readonly ConcurrentBag<PredictionEngine<TextInput, CategoryOutput>> engines = [];

    public CategoryModel(MLContext ml, string directory)
    {
        this.ml = ml;
        model = ml.Model.Load(Path.Combine(directory, ModelContract.ModelFileName), out _);
        Version = ModelFiles.ReadVersion(directory);
    }

    public string Version { get; }

    /// <summary>Categorises the probe texts (an answer outside the taxonomy throws), warming an engine for the first real text.</summary>
    public CategoryModel Probed(IEnumerable<string> probes)
    {
        foreach (var probe in probes)
        {
            Predict(probe);
        }

        return this;
    }

    public RiskCategory Predict(string text)
    {
        if (!engines.TryTake(out var engine))
        {
            engine = ml.Model.CreatePredictionEngine<TextInput, CategoryOutput>(model);
        }

        try
        {
            var key = engine.Predict(new TextInput { Text = text }).PredictedLabel;
            return RiskTaxonomy.FromKey(key ?? string.Empty)?.Category
                ?? throw new InvalidDataException($"the risk-category model {Version} answered '{key}', which is not in the taxonomy");
        }
        finally
        {
            engines.Add(engine);
        }
    }

    /// <summary>Categorises many texts through one pass of the chain.</summary>
    public RiskCategory[] PredictBatch(IReadOnlyList<string> texts)
    {
        var scored = model.Transform(ml.Data.LoadFromEnumerable(texts.Select(t => new TextInput { Text = t })));
        var label = scored.Schema[ModelContract.PredictedLabelColumn];
        using var cursor = ScoringCursors.SingleThreaded(scored, [label]);
        var getLabel = cursor.GetGetter<ReadOnlyMemory<char>>(label);
        var categories = new RiskCategory[texts.Count];
        var value = default(ReadOnlyMemory<char>);
        for (var i = 0; cursor.MoveNext(); i++)
        {
            getLabel(ref value);
            var key = value.ToString();
            categories[i] = RiskTaxonomy.FromKey(key)?.Category
                ?? throw new InvalidDataException($"the risk-category model {Version} answered '{key}', which is not in the taxonomy");
        }

        return categories;
    }

    private sealed class CategoryOutput
    {
        [ColumnName(ModelContract.PredictedLabelColumn)]
        public string? PredictedLabel { get; set; }
    }
}

/// <summary>Cursors over a scored batch.</summary>
internal static class ScoringCursors
{
    /// <summary>
    /// A cursor that runs the whole chain on the calling thread. ML.NET's own GetRowCursor splits
    /// a batch across Environment.ProcessorCount worker threads and spin-waits to merge them: with
    /// a host already scoring several batches at once, or a process held to one core, the workers
    /// fought over the cores and most of a batch's time went to spinning (a profile of the scoring
    /// benchmark: 1.77 s of 1.93 s in SpinWait). One set of one cursor has no splitter.
    /// </summary>
    public static DataViewRowCursor SingleThreaded(IDataView view, IEnumerable<DataViewSchema.Column> columns) =>
        view.GetRowCursorSet(columns, 1)[0];
}

/// <summary>The text a model reads.</summary>
public sealed class TextInput
{
    [ColumnName(ModelContract.TextColumn)]
    public string Text { get; set; } = string.Empty;
}

/// <summary>
/// The three models scoring together. Immutable: a newer set is built and checked beside the
/// one in use and then swapped in whole, so a text is never scored by half of each.
/// </summary>
public sealed class ModelSet
{
    private static readonly string[] ProbeTexts = ["The company was fined for selling expired food", "公司按时足额发放工资，客户评价很好"];

    private ModelSet(PolarityModel english, PolarityModel chinese, CategoryModel category)
    {
        English = english;
        Chinese = chinese;
        Category = category;
        Versions = [english.Version, chinese.Version, category.Version];
    }

    public PolarityModel English { get; }

    public PolarityModel Chinese { get; }

    public CategoryModel Category { get; }

    public IReadOnlyList<string> Versions { get; }

    public PolarityModel PolarityFor(TextLanguage language) => language == TextLanguage.Chinese ? Chinese : English;

    /// <summary>Loads the three models from one folder (a subfolder per model) and checks each answers within its contract.</summary>
    public static ModelSet Load(string directory) => Load(name => Path.Combine(directory, name));

    /// <summary>
    /// Loads each model from the folder <paramref name="folderFor"/> names for it. The three load
    /// side by side, which takes a cold start from the sum of the three loads to the slowest, and
    /// share one MLContext: each context scans the ML.NET assemblies for its component catalog
    /// on first use, and sharing it saved up to 0.03 s of a 0.5 s cold start. Loading and creating
    /// prediction engines from one context on several threads is how Microsoft.Extensions.ML's
    /// engine pool uses it; a prediction engine itself stays single-threaded (pooled).
    /// </summary>
    public static ModelSet Load(Func<string, string> folderFor)
    {
        foreach (var name in ModelContract.ModelNames)
        {
            if (!File.Exists(Path.Combine(folderFor(name), ModelContract.ModelFileName)))
            {
                throw new FileNotFoundException(
                    $"No {name} model in {folderFor(name)}. Train the models: dotnet run --project ml-models/Supervision.Trainer -- train",
                    Path.Combine(folderFor(name), ModelContract.ModelFileName));
            }
        }

        // Each model is loaded, probed and made ready to explain in its own task: on a cold host
        // the loads, the first prediction engines and the explanation names then overlap instead
        // of queueing one after another.
        var ml = new MLContext(seed: 0);
        var english = Task.Run(() => new PolarityModel(ml, folderFor(ModelContract.EnglishPolarity)).Probed(ProbeTexts[0]));
        var chinese = Task.Run(() => new PolarityModel(ml, folderFor(ModelContract.ChinesePolarity)).Probed(ProbeTexts[1]));
        var category = Task.Run(() => new CategoryModel(ml, folderFor(ModelContract.RiskCategoryModel)).Probed(ProbeTexts));
        // GetResult rethrows the first failure itself, not wrapped: callers see why a model is unusable.
        Task.WhenAll(english, chinese, category).GetAwaiter().GetResult();
        return new ModelSet(english.Result, chinese.Result, category.Result);
    }
}

/// <summary>Reading a model folder's card.</summary>
public static class ModelFiles
{
    public static string ReadVersion(string directory)
    {
        var card = Path.Combine(directory, ModelContract.CardFileName);
        if (!File.Exists(card))
        {
            throw new FileNotFoundException($"{directory} has a model but no {ModelContract.CardFileName}; a model without a card has no version to record", card);
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(card));
        return document.RootElement.TryGetProperty("version", out var version) && version.GetString() is { Length: > 0 } text
            ? text
            : throw new InvalidDataException($"{card} names no version");
    }
}
