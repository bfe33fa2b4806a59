namespace Supervision.LocalHost.Demo;

/// <summary>
/// The joint reviews the sample feeds and inbox open on a fresh start, so the banner can say how to
/// decide each before its window runs out. A demo test checks that exactly these cases open: if the
/// sample data or the models change which memoranda fire, the test says so and this list follows.
/// </summary>
internal static class DemoCases
{
    public const string Huaxia = "91330100D3M0000018";
    public const string HuaxiaName = "华夏示例食品有限公司";
    public const string Beichen = "91110000D3M000004N";
    public const string BeichenName = "北辰范例科技有限公司";

    public static readonly IReadOnlyList<DemoCase> Expected =
    [
        new("JP-DISHONEST-2016", Huaxia, HuaxiaName),
        new("JP-MAJOR-TAX-2026", Huaxia, HuaxiaName),
        new("JI-TRUSTWORTHY-2016", Beichen, BeichenName),
    ];

    /// <summary>The subject the demo enterprise signs in as; the local host maps it to its USCC in the caller directory.</summary>
    public static string EnterpriseSubject(string uscc) => $"demo-enterprise-{uscc}";
}

/// <summary>One demo case: the memorandum that fires and the enterprise it concerns.</summary>
internal sealed record DemoCase(string MemorandumId, string Uscc, string EnterpriseName);
