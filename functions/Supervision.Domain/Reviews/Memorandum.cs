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
/// review the case with which measures. A memorandum opens when the portrait's grade is one of
/// its grades (with enough signals) and, if it names risk categories (RiskTaxonomy keys), the
/// adverse signals include one of them; or, whatever the grade, when an authority record of a
/// type it names (GovernmentRecord.TypeNames) is in force for the enterprise. <see cref="Owner"/> is
/// the market regulator's case owner each case under it is assigned to unless reassigned.
/// </summary>
public sealed record Memorandum(
    string Id,
    MemorandumKind Kind,
    string Title,
    IReadOnlyList<CreditGrade> TriggerGrades,
    IReadOnlyList<DepartmentMeasures> Departments,
    bool Enabled = true,
    int MinimumSignals = 1,
    IReadOnlyList<string>? TriggerCategories = null,
    IReadOnlyList<string>? TriggerRecordTypes = null,
    string? Owner = null);

/// <summary>The measures one department applies under a memorandum.</summary>
public sealed record DepartmentMeasures(string Department, IReadOnlyList<MeasureDefinition> Measures);

/// <summary>A measure, its legal basis, how long it lasts once applied, and for punishments how serious it is.</summary>
public sealed record MeasureDefinition(
    string Code, string Description, string LegalBasis, TimeSpan Duration, MeasureSeverity? Severity = null);

/// <summary>The severity classes of the national credit-repair rules, which bound how long a punishment is published.</summary>
public enum MeasureSeverity
{
    /// <summary>Not published, or at most three months.</summary>
    Minor,

    /// <summary>Three months to one year.</summary>
    Ordinary,

    /// <summary>One to three years.</summary>
    Serious,
}

/// <summary>The publication periods the credit-repair rules allow per severity.</summary>
public static class CreditRepairRules
{
    public static (TimeSpan Minimum, TimeSpan Maximum) Bounds(MeasureSeverity severity) => severity switch
    {
        MeasureSeverity.Minor => (TimeSpan.Zero, TimeSpan.FromDays(92)),
        MeasureSeverity.Ordinary => (TimeSpan.FromDays(90), TimeSpan.FromDays(366)),
        _ => (TimeSpan.FromDays(365), TimeSpan.FromDays(1096)),
    };

    /// <summary>Why a measure's duration breaks the rules, or null when it keeps them.</summary>
    public static string? Problem(MeasureDefinition measure)
    {
        if (measure.Severity is not { } severity)
        {
            return null;
        }

        var (minimum, maximum) = Bounds(severity);
        return measure.Duration < minimum || measure.Duration > maximum
            ? $"{measure.Code}: a {severity} measure lasts {minimum.TotalDays:0} to {maximum.TotalDays:0} days, "
              + $"not {measure.Duration.TotalDays:0}"
            : null;
    }
}

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
        var problems = document.Memoranda
            .SelectMany(m => m.Departments.SelectMany(d => d.Measures))
            .Select(CreditRepairRules.Problem)
            .OfType<string>()
            .Concat(document.Memoranda.SelectMany(m => (m.TriggerCategories ?? [])
                .Where(c => Scoring.RiskTaxonomy.FromKey(c) is null)
                .Select(c => $"{m.Id}: '{c}' is not a risk category")))
            .Concat(document.Memoranda.SelectMany(m => (m.TriggerRecordTypes ?? [])
                .Where(t => !Credit.GovernmentRecord.TypeNames.ContainsKey(t))
                .Select(t => $"{m.Id}: '{t}' is not a record type")))
            .Concat(document.Memoranda.Where(m => string.IsNullOrWhiteSpace(m.Owner)).Select(m => $"{m.Id}: no case owner"))
            .ToList();
        return problems.Count == 0
            ? new MemorandumCatalog(document.Memoranda)
            : throw new InvalidOperationException($"memoranda.json is refused: {string.Join("; ", problems)}");
    }

    public Memorandum Get(string id) =>
        Memoranda.FirstOrDefault(m => m.Id == id) ?? throw new KeyNotFoundException($"no memorandum '{id}'");

    /// <summary>The enabled memoranda whose triggers a portrait meets.</summary>
    public IEnumerable<Memorandum> TriggeredBy(CreditPortrait portrait) =>
        Memoranda.Where(m => m.Enabled && (ByGrade(m, portrait) || ByRecord(m, portrait)));

    private static bool ByGrade(Memorandum m, CreditPortrait portrait) =>
        m.TriggerGrades.Contains(portrait.Grade) && portrait.SignalCount >= m.MinimumSignals
            && (m.TriggerCategories is not { Count: > 0 } categories || portrait.Contributions.Any(c => categories.Contains(c.Category)));

    private static bool ByRecord(Memorandum m, CreditPortrait portrait) =>
        m.TriggerRecordTypes is { Count: > 0 } types
            && portrait.CreditContributions.Any(c => c.Kind == nameof(Credit.GovernmentRecord) && types.Contains(c.Value));

    private sealed record CatalogDocument(IReadOnlyList<Memorandum> Memoranda);
}
