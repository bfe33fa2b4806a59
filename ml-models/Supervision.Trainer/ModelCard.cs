using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Supervision.Trainer;

/// <summary>What a trained model is, what it was trained on, and how well it did on held-out data.</summary>
public sealed record ModelCard(
    string Name,
    string Version,
    string Trainer,
    string MlNetVersion,
    string DataFile,
    string DataSha256,
    string DataLicence,
    int Rows,
    int Seed,
    double TestFraction,
    string Features,
    string InputColumn,
    string OutputColumn,
    ModelMetrics Metrics)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Model card: {Name}").AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"- Version: `{Version}`")
            .AppendLine(CultureInfo.InvariantCulture, $"- Trainer: {Trainer} (ML.NET {MlNetVersion}), seed {Seed}")
            .AppendLine(CultureInfo.InvariantCulture, $"- Features: {Features}")
            .AppendLine(CultureInfo.InvariantCulture, $"- Data: `{DataFile}` ({Rows} rows, SHA-256 `{DataSha256}`), licence: {DataLicence}")
            .AppendLine(CultureInfo.InvariantCulture, $"- Contract: reads `{InputColumn}`, writes `{OutputColumn}` (probability that the text is adverse)")
            .AppendLine()
            .AppendLine(CultureInfo.InvariantCulture, $"## Metrics on a held-out {TestFraction:P0} split ({Metrics.TestRows} rows)").AppendLine()
            .AppendLine("| AUC | accuracy | F1 (adverse) |")
            .AppendLine("|---|---|---|")
            .AppendLine(CultureInfo.InvariantCulture, $"| {Metrics.Auc:F3} | {Metrics.Accuracy:F3} | {Metrics.F1:F3} |")
            .AppendLine()
            .AppendLine("The placeholder corpus is small and written by us; these figures say the pipeline works,")
            .AppendLine("not that the model generalises. External evaluation belongs to the models issue.");
        return text.ToString();
    }
}

public sealed record ModelMetrics(int TestRows, double Auc, double Accuracy, double F1);
