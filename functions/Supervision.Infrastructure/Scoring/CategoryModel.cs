using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;
using Supervision.Domain.Scoring;

namespace Supervision.Infrastructure.Scoring;

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
