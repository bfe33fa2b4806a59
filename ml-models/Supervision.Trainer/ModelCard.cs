using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Supervision.Trainer;

/// <summary>What a trained model is, what it was trained on, and how well it did on held-out data.</summary>
public sealed record ModelCard(
    string Name,
    string Version,
    string Task,
    string Language,
    string Trainer,
    string MlNetVersion,
    int Seed,
    string Features,
    IReadOnlyList<DataFile> Data,
    string DataSha256,
    int Rows,
    string InputColumn,
    IReadOnlyList<string> OutputColumns,
    double? AdverseThreshold,
    HeldOutMetrics Metrics,
    string Notes)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static ModelCard Read(string path) =>
        JsonSerializer.Deserialize<ModelCard>(File.ReadAllBytes(path), JsonOptions) ?? throw new InvalidDataException(path + " is empty");

    public void Write(string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(
            Path.Combine(directory, Supervision.Domain.Scoring.ModelContract.CardFileName),
            JsonSerializer.Serialize(this, JsonOptions) + "\n");
        File.WriteAllText(Path.Combine(directory, "MODEL_CARD.md"), ToMarkdown(ExternalRows(directory)));
    }

    /// <summary>
    /// The last external evaluation of this very version (evaluation.json beside the model
    /// folders, written by <c>evaluate --write</c>), or none when it evaluated another version.
    /// </summary>
    private IReadOnlyList<Evaluation.EvaluationRow> ExternalRows(string directory)
    {
        var file = Path.Combine(directory, "..", "evaluation.json");
        if (!File.Exists(file))
        {
            return [];
        }

        var rows = JsonSerializer.Deserialize<List<Evaluation.EvaluationRow>>(File.ReadAllBytes(file), JsonOptions) ?? [];
        var mine = rows
            .Where(r => r.Scorer.Contains(Version, StringComparison.Ordinal))
            .Select(r => r.Set)
            .ToHashSet(StringComparer.Ordinal);
        return [.. rows.Where(r => mine.Contains(r.Set))];
    }

    public string ToMarkdown(IReadOnlyList<Evaluation.EvaluationRow>? external = null)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Model card: {Name}").AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- Version: `{Version}`")
            .AppendLine(CultureInfo.InvariantCulture, $"- Task: {Task} ({Language})")
            .AppendLine(CultureInfo.InvariantCulture, $"- Trainer: {Trainer} (ML.NET {MlNetVersion}), seed {Seed}")
            .AppendLine(CultureInfo.InvariantCulture, $"- Features: {Features}")
            .AppendLine(
                CultureInfo.InvariantCulture,
                $"- Contract: reads `{InputColumn}`, writes {string.Join(", ", OutputColumns.Select(c => $"`{c}`"))}");
        if (AdverseThreshold is { } threshold)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- Threshold: a text is called adverse at probability ≥ {threshold:0.00}");
        }

        text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"## Data ({Rows} rows, combined SHA-256 `{DataSha256[..16]}…`)")
            .AppendLine()
            .AppendLine("| file | rows | SHA-256 | licence |").AppendLine("|---|---|---|---|");
        foreach (var file in Data)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| `{file.File}` | {file.Rows} | `{file.Sha256[..16]}…` | {file.Licence} |");
        }

        text.AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"## Held-out metrics ({Metrics.TestFraction:P0} split, {Metrics.TestRows} rows)")
            .AppendLine()
            .AppendLine("| metric | value |").AppendLine("|---|---|");
        foreach (var (metric, value) in Metrics.Values)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {metric} | {value:F3} |");
        }

        text.AppendLine().AppendLine(Notes).AppendLine();
        if (external is { Count: > 0 })
        {
            text.AppendLine("## External evaluation of this version").AppendLine()
                .AppendLine("Sets this model never saw, with the lexicon baselines of the same run (all figures in")
                .AppendLine("[../EVALUATION.md](../EVALUATION.md)):").AppendLine()
                .AppendLine("| set | model AUC | best lexicon AUC | model accuracy | model F1 (adverse) | model AUC, unread half |")
                .AppendLine("|---|---|---|---|---|---|");
            foreach (var set in external.Select(r => r.Set).Distinct())
            {
                var row = external.First(r => r.Set == set && r.Scorer.StartsWith("model", StringComparison.Ordinal));
                var model = row.Metrics;
                var lexicon = external
                    .Where(r => r.Set == set && r.Scorer.StartsWith("lexicon", StringComparison.Ordinal))
                    .Max(r => r.Metrics.Auc);
                var unread = row.UnreadHalf is { } u ? u.Auc.ToString("F3", CultureInfo.InvariantCulture) : "–";
                text.AppendLine(
                    CultureInfo.InvariantCulture,
                    $"| {set} | {model.Auc:F3} | {lexicon:F3} | {model.Accuracy:F3} | {model.F1Adverse:F3} | {unread} |");
            }

            text.AppendLine()
                .AppendLine("The goals of the models issue (FPB AUC ≥ 0.85, ChnSentiCorp AUC ≥ 0.88, above both lexicons on every set)")
                .AppendLine("are checked line by line in EVALUATION.md; where this table falls short of them, they are not reached.");
        }
        else
        {
            text.AppendLine("This version has not been evaluated on external sets yet: "
                + "`dotnet run --project ml-models/Supervision.Trainer -- evaluate --write`.");
        }

        return text.ToString();
    }
}

/// <summary>Metrics on the held-out split, in a fixed order so the card diffs cleanly.</summary>
public sealed record HeldOutMetrics(double TestFraction, int TestRows, IReadOnlyList<KeyValuePair<string, double>> Values);
