using System.Text;
using Microsoft.Extensions.Time.Testing;
using Supervision.Domain.Paging;
using Supervision.Domain.Security;

namespace Supervision.Domain.Tests;

public class PageTokensTests
{
    private static readonly byte[] Key = Encoding.UTF8.GetBytes("a paging key of thirty-two bytes");
    private static readonly Caller Ann = Caller.StaffOf("ann", "customs");
    private static readonly string[] Position = ["status|Pending", "0000000001|case-7"];

    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 12, 7, 20, 0, 0, TimeSpan.Zero));

    private PageTokens Tokens => new(Key, time, TimeSpan.FromHours(1));

    [Fact]
    public void Read_SameScope_GivesThePositionBack()
    {
        var scope = PageScope.Of("reviews", Ann, ("status", "Pending"), ("department", null));

        var (position, problem) = Tokens.Read(scope, Tokens.Issue(scope, Position));

        Assert.Equal(PageTokenProblem.None, problem);
        Assert.Equal(Position, position);
    }

    [Theory]
    [InlineData("status", "Closed")]
    [InlineData("department", "customs")]
    [InlineData("uscc", "91330100D3M0000018")]
    public void Read_OtherFilter_IsRefusedAsAnotherQuery(string name, string value)
    {
        var token = Tokens.Issue(PageScope.Of("reviews", Ann, ("status", "Pending")), Position);

        var changed = name == "status"
            ? PageScope.Of("reviews", Ann, (name, value))
            : PageScope.Of("reviews", Ann, ("status", "Pending"), (name, value));

        Assert.Equal((null, PageTokenProblem.OtherQuery), Tokens.Read(changed, token));
    }

    [Fact]
    public void Read_OtherList_IsRefusedAsAnotherQuery()
    {
        var token = Tokens.Issue(PageScope.Of("operator/quarantine", Ann), Position);

        Assert.Equal((null, PageTokenProblem.OtherQuery), Tokens.Read(PageScope.Of("operator/failures", Ann), token));
    }

    [Theory]
    [InlineData("bob", "customs", Roles.Reviewer)]
    [InlineData("ann", "tax", Roles.Reviewer)]
    [InlineData("ann", "customs", Roles.Supervisor)]
    public void Read_OtherCaller_IsRefused(string subject, string department, string role)
    {
        var token = Tokens.Issue(PageScope.Of("reviews", Ann), Position);

        var (position, problem) = Tokens.Read(PageScope.Of("reviews", Caller.StaffOf(subject, department, role)), token);

        Assert.Equal((null, PageTokenProblem.OtherCaller), (position, problem));
    }

    [Fact]
    public void Read_TamperedPayloadOrSignatureOrForeignKey_IsRefusedAsMalformed()
    {
        var scope = PageScope.Of("reviews", Ann);
        var token = Tokens.Issue(scope, Position);
        var parts = token.Split('.');
        var otherPosition = Tokens.Issue(scope, ["all", "0"]).Split('.')[1];
        var foreign = new PageTokens(Encoding.UTF8.GetBytes("another key, also thirty-two b!!"), time, TimeSpan.FromHours(1));

        string[] refused =
        [
            $"{parts[0]}.{otherPosition}.{parts[2]}",
            $"{parts[0]}.{parts[1]}.{parts[2][..^2]}AA",
            foreign.Issue(scope, Position),
            "pg1.not-base64!.x",
            "sv1." + parts[1] + "." + parts[2],
            string.Empty,
        ];

        Assert.All(refused, t => Assert.Equal((null, PageTokenProblem.Malformed), Tokens.Read(scope, t)));
    }

    [Fact]
    public void Read_AfterItsLifetime_IsRefusedAsExpired()
    {
        var scope = PageScope.Of("reviews", Ann);
        var token = Tokens.Issue(scope, Position);

        time.Advance(TimeSpan.FromMinutes(59));
        var withinLifetime = Tokens.Read(scope, token).Problem;
        time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal((PageTokenProblem.None, PageTokenProblem.Expired), (withinLifetime, Tokens.Read(scope, token).Problem));
    }

    [Fact]
    public void Scope_FilterValuesCannotBeShiftedBetweenNames()
    {
        // "a=bc" and "ab=c" must not look the same to the signature.
        var token = Tokens.Issue(PageScope.Of("reviews", Ann, ("a", "bc")), Position);

        Assert.Equal(PageTokenProblem.OtherQuery, Tokens.Read(PageScope.Of("reviews", Ann, ("ab", "c")), token).Problem);
    }

    [Theory]
    [InlineData(null, 50)]
    [InlineData("", 50)]
    [InlineData("1", 1)]
    [InlineData("200", 200)]
    public void PageSizes_AbsentOrInRange_AreTaken(string? text, int expected) =>
        Assert.Equal((expected, null), PageSizes.Parse(text));

    [Theory]
    [InlineData("0")]
    [InlineData("201")]
    [InlineData("-5")]
    [InlineData("2.5")]
    [InlineData("ten")]
    [InlineData(" 5")]
    public void PageSizes_OutOfRangeOrNotANumber_AreRefusedNamingTheLimits(string text)
    {
        var (_, problem) = PageSizes.Parse(text);

        Assert.Contains("1 to 200", problem, StringComparison.Ordinal);
    }
}
