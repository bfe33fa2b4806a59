using System.Text.Json;
using System.Text.Json.Serialization;
using Supervision.Domain.Portraits;

namespace Supervision.Domain.Reviews;

/// <summary>Whether a memorandum punishes dishonesty or rewards trustworthiness.</summary>
public enum MemorandumKind
{
    Punishment,
    Incentive,
}

/// <summary>
/// A joint-punishment or joint-incentive memorandum: what triggers it, and which departments
/// review the case with which measures.
/// </summary>
public sealed record Memorandum(
    string Id,
    MemorandumKind Kind,
    string Title,
    IReadOnlyList<CreditGrade> TriggerGrades,
    IReadOnlyList<DepartmentMeasures> Departments,
    bool Enabled = true);

/// <summary>The measures one department applies under a memorandum.</summary>
public sealed record DepartmentMeasures(string Department, IReadOnlyList<MeasureDefinition> Measures);

/// <summary>A measure, its legal basis, and how long it lasts once applied.</summary>
public sealed record MeasureDefinition(string Code, string Description, string LegalBasis, TimeSpan Duration);

/// <summary>The memoranda in force, kept as data in the repository (Reviews/memoranda.json).</summary>
public sealed class MemorandumCatalog(IReadOnlyList<Memorandum> memoranda)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public IReadOnlyList<Memorandum> Memoranda { get; } = memoranda;

    public static MemorandumCatalog LoadEmbedded()
    {
        using var stream = typeof(MemorandumCatalog).Assembly.GetManifestResourceStream("Supervision.Domain.Reviews.memoranda.json")
            ?? throw new InvalidOperationException("memoranda.json is not embedded in Supervision.Domain");
        var document = JsonSerializer.Deserialize<CatalogDocument>(stream, JsonOptions)
            ?? throw new InvalidOperationException("memoranda.json is empty");
        return new MemorandumCatalog(document.Memoranda);
    }

    public Memorandum Get(string id) =>
        Memoranda.FirstOrDefault(m => m.Id == id) ?? throw new KeyNotFoundException($"no memorandum '{id}'");

    /// <summary>The enabled memoranda whose triggers a portrait meets.</summary>
    public IEnumerable<Memorandum> TriggeredBy(CreditPortrait portrait) =>
        Memoranda.Where(m => m.Enabled && m.TriggerGrades.Contains(portrait.Grade));

    private sealed record CatalogDocument(IReadOnlyList<Memorandum> Memoranda);
}
