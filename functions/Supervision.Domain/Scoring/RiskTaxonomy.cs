namespace Supervision.Domain.Scoring;

/// <summary>What an adverse signal is about. The risk-category model predicts one per text.</summary>
public enum RiskCategory
{
    None,
    Fraud,
    Quality,
    FoodDrug,
    Environment,
    Labour,
    Tax,
    Customs,
    Finance,
    Litigation,
    Privacy,
}

/// <summary>A category's label in the corpus and models, who handles it, and how fast its news fades.</summary>
public sealed record RiskCategoryDefinition(
    RiskCategory Category, string Key, string Description, IReadOnlyList<string> Departments, TimeSpan HalfLife);

/// <summary>
/// The risk taxonomy: each category, the departments a memorandum on it concerns, and the
/// half-life of its news in the opinion risk index (a tax-evasion finding stays relevant far
/// longer than a rude waiter). Department names are those of the memoranda.
/// </summary>
public static class RiskTaxonomy
{
    public static IReadOnlyList<RiskCategoryDefinition> Categories { get; } =
    [
        new(RiskCategory.None, "none", "No risk topic: general news, service complaints and praise",
            [], TimeSpan.FromDays(14)),
        new(RiskCategory.Fraud, "fraud", "Fraud and false advertising",
            ["market-regulator", "procurement"], TimeSpan.FromDays(90)),
        new(RiskCategory.Quality, "quality", "Product quality and safety",
            ["market-regulator", "inspection-quarantine"], TimeSpan.FromDays(60)),
        new(RiskCategory.FoodDrug, "food_drug", "Food and drug safety",
            ["market-regulator", "inspection-quarantine"], TimeSpan.FromDays(90)),
        new(RiskCategory.Environment, "environment", "Environment and pollution",
            ["market-regulator", "procurement"], TimeSpan.FromDays(90)),
        new(RiskCategory.Labour, "labour", "Labour, wages and workplace safety",
            ["market-regulator", "procurement"], TimeSpan.FromDays(60)),
        new(RiskCategory.Tax, "tax", "Tax evasion and false invoices",
            ["tax", "market-regulator"], TimeSpan.FromDays(180)),
        new(RiskCategory.Customs, "customs", "Customs and smuggling",
            ["customs", "inspection-quarantine"], TimeSpan.FromDays(180)),
        new(RiskCategory.Finance, "finance", "Financial distress and unpaid debts",
            ["market-regulator", "tax"], TimeSpan.FromDays(60)),
        new(RiskCategory.Litigation, "litigation", "Litigation and enforcement",
            ["market-regulator", "procurement"], TimeSpan.FromDays(120)),
        new(RiskCategory.Privacy, "privacy", "Data and privacy",
            ["market-regulator"], TimeSpan.FromDays(60)),
    ];

    private static readonly Dictionary<string, RiskCategoryDefinition> ByKey = Categories.ToDictionary(c => c.Key, StringComparer.Ordinal);
    private static readonly Dictionary<RiskCategory, RiskCategoryDefinition> ByCategory = Categories.ToDictionary(c => c.Category);

    public static IReadOnlyCollection<string> Keys => ByKey.Keys;

    public static RiskCategoryDefinition Of(RiskCategory category) => ByCategory[category];

    /// <summary>The category a corpus or model label names, or null for a label outside the taxonomy.</summary>
    public static RiskCategoryDefinition? FromKey(string key) => ByKey.GetValueOrDefault(key);
}
