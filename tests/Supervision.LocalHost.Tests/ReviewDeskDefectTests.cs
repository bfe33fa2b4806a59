using System.Text.Json;
using Supervision.Domain.Security;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>
/// Four defects of the review rules as a user meets them over HTTP on the local host, each shown
/// failing on the code before the decision desk: numbered verdicts taken as decisions, a replay with
/// another comment answered "repeated", a repair approval taken before any request (which then lifted
/// every measure when the enterprise asked), and an unknown status filter read as no filter. Each
/// test has an Azurite of its own (xunit makes an instance per test), because each reaches the same
/// demo case and must not find another test's.
/// </summary>
public sealed class ReviewDeskDefectTests : IAsyncLifetime
{
    private const string Huaxia = "91330100D3M0000018";
    private const string Case = "JP-DISHONEST-2016-" + Huaxia;
    private static readonly string Reader = TestLocalHost.RegulatorToken;
    private readonly AzuriteFixture azurite = new();

    public Task InitializeAsync() => azurite.InitializeAsync();

    public Task DisposeAsync() => azurite.DisposeAsync();

    [Fact]
    public async Task Decision_VerdictSevenOrZero_IsRefusedWith400_AndNothingIsStored()
    {
        await using var host = await PendingCaseAsync();
        var path = $"api/reviews/{Case}/departments/procurement/decision";
        var procurement = TestLocalHost.Token("procurement");

        // Sent until the review is open, so that nothing but the verdict can refuse them.
        var seven = await Eventually.GetAsync(
            () => host.SendAsync(HttpMethod.Post, path, procurement, """{"verdict":7,"comment":"seven"}"""),
            r => r.Status != 409, TimeSpan.FromSeconds(30), "the review to open");
        var zero = await host.SendAsync(HttpMethod.Post, path, procurement, """{"verdict":0,"comment":"zero"}""");
        var (_, review) = await host.SendAsync(HttpMethod.Get, $"api/reviews/{Case}", Reader);

        var decisions = review.GetProperty("decisions").EnumerateArray().Select(d => d.GetProperty("department").GetString()).ToList();
        var audited = Actions(review).Where(a => a.Detail.StartsWith("procurement", StringComparison.Ordinal)).ToList();
        Assert.Multiple(
            () => Assert.Equal(400, seven.Status),
            () => Assert.Equal(400, zero.Status),
            () => Assert.Contains("request-information", Detail(seven.Body), StringComparison.Ordinal),
            () => Assert.DoesNotContain("procurement", decisions),
            () => Assert.DoesNotContain(audited, a => a.Action == "decision"));
    }

    [Fact]
    public async Task Decision_ReplayWithAnotherComment_Is409NamingTheStandingDecision()
    {
        await using var host = await PendingCaseAsync();
        var path = $"api/reviews/{Case}/departments/customs/decision";
        var customs = TestLocalHost.Token("customs");

        var first = await Eventually.GetAsync(
            () => host.SendAsync(HttpMethod.Post, path, customs, """{"verdict":"approve","comment":"seizure records checked"}"""),
            r => r.Status != 409, TimeSpan.FromSeconds(30), "the review to open");
        var same = await host.SendAsync(HttpMethod.Post, path, customs, """{"verdict":"approve","comment":"seizure records checked"}""");
        var other = await host.SendAsync(HttpMethod.Post, path, customs, """{"verdict":"approve","comment":"on second thoughts"}""");
        var (_, review) = await host.SendAsync(HttpMethod.Get, $"api/reviews/{Case}", Reader);

        var standing = review.GetProperty("decisions").EnumerateArray().Single(d => d.GetProperty("department").GetString() == "customs");
        Assert.Multiple(
            () => Assert.Equal(202, first.Status),
            () => Assert.Equal(200, same.Status),
            () => Assert.Equal(409, other.Status),
            () => Assert.Contains("seizure records checked", Detail(other.Body), StringComparison.Ordinal),
            () => Assert.Equal("seizure records checked", standing.GetProperty("comment").GetString()));
    }

    [Fact]
    public async Task RepairApproval_WithNoRequest_Is409_AndALaterRequestLiftsNothingUntilARulingOnIt()
    {
        await using var host = await PendingCaseAsync(new Dictionary<string, string?>
        {
            ["Reviews:MeasureDuration"] = "00:10:00",
            ["Reviews:ObjectionWindow"] = "00:00:00",
        });
        var regulator = TestLocalHost.RegulatorToken;
        var ruling = $"api/reviews/{Case}/repair/decision";

        const string unasked = """{"verdict":"approve","comment":"ruled before anyone asked"}""";
        var early = await host.SendAsync(HttpMethod.Post, ruling, regulator, unasked);
        foreach (var department in new[] { "customs", "tax", "procurement" })
        {
            await Eventually.GetAsync(
                () => host.DecideAsync(Case, department, "approve", TestLocalHost.Token(department)),
                r => r.Status != 409, TimeSpan.FromSeconds(30), "the review to open");
        }

        await Eventually.GetAsync(
            () => host.CaseStatusAsync(Case), s => s == "MeasuresInForce", TimeSpan.FromSeconds(60), "the measures to apply");
        var enterprise = TestLocalHost.EnterpriseToken(Huaxia);
        const string asked = """{"comment":"fines paid, recall completed"}""";
        var request = await host.SendAsync(HttpMethod.Post, $"api/reviews/{Case}/repair", enterprise, asked);
        await Eventually.GetAsync(
            () => ReviewAsync(host),
            r => Actions(r).Any(a => a.Action == "repair-requested"),
            TimeSpan.FromSeconds(60),
            "the review to hear the request");

        // The review has heard the request; an early approval would lift the measures at once.
        var liftedUnasked = await LiftedWithinAsync(host, TimeSpan.FromSeconds(10));
        Assert.Multiple(
            () => Assert.Equal(409, early.Status),
            () => Assert.Equal(202, request.Status),
            () => Assert.False(liftedUnasked, "the measures were lifted with no ruling on the enterprise's request"));

        const string checkedRuling = """{"verdict":"approve","comment":"evidence checked"}""";
        var approval = await host.SendAsync(HttpMethod.Post, ruling, regulator, checkedRuling);
        Assert.Equal(202, approval.Status);
        Assert.True(await LiftedWithinAsync(host, TimeSpan.FromSeconds(60)), "the ruling on the request lifts the measures");
    }

    [Theory]
    [InlineData("unknown")]
    [InlineData("1")]
    public async Task ListReviews_UnknownStatus_Is400NamingTheAcceptedValues(string status)
    {
        await using var host = await TestLocalHost.StartAsync(azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: false);

        var (code, body) = await host.SendAsync(HttpMethod.Get, $"api/reviews?status={status}", Reader);
        var (all, _) = await host.SendAsync(HttpMethod.Get, "api/reviews", Reader);

        Assert.Equal(200, all);
        Assert.Equal(400, code);
        Assert.Contains("Pending, MeasuresInForce, Closed", Detail(body), StringComparison.Ordinal);
    }

    /// <summary>A local host pulling the demo feeds, once their D-grade enterprise's punishment case is pending.</summary>
    private async Task<TestLocalHost> PendingCaseAsync(IDictionary<string, string?>? overrides = null)
    {
        var host = await TestLocalHost.StartAsync(
            azurite.ConnectionString, TestLocalHost.NewTaskHub(), withDemoFeeds: true, overrides: overrides);
        await Eventually.GetAsync(
            () => host.CaseStatusAsync(Case), s => s == "Pending", TimeSpan.FromSeconds(90), "the punishment case to be pending");
        return host;
    }

    private static async Task<JsonElement> ReviewAsync(TestLocalHost host) =>
        (await host.SendAsync(HttpMethod.Get, $"api/reviews/{Case}", Reader)).Body;

    /// <summary>Whether any measure of the case is lifted as credit repaired within <paramref name="wait"/>.</summary>
    private static async Task<bool> LiftedWithinAsync(TestLocalHost host, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        do
        {
            var actions = Actions(await ReviewAsync(host));
            if (actions.Any(a => a.Action == "measures-lifted" && a.Detail.Contains("credit repaired", StringComparison.Ordinal)))
            {
                return true;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);
        return false;
    }

    private static List<(string Action, string Detail)> Actions(JsonElement review) =>
        review.GetProperty("audit").EnumerateArray()
            .Select(a => (a.GetProperty("action").GetString() ?? string.Empty, a.GetProperty("detail").GetString() ?? string.Empty))
            .ToList();

    private static string Detail(JsonElement problem) =>
        problem.ValueKind == JsonValueKind.Object && problem.TryGetProperty("detail", out var detail)
            ? detail.GetString() ?? string.Empty
            : string.Empty;
}
