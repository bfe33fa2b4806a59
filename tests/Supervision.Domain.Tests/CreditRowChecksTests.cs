using Supervision.Domain.Credit;

namespace Supervision.Domain.Tests;

/// <summary>Inbox rows are refused, never bent (issue 16, item 5).</summary>
public class CreditRowChecksTests
{
    private const string Header = "uscc,score,grade,as_of,model_version\n";
    private static readonly DateOnly Today = new(2026, 12, 7);

    [Theory]
    [InlineData("990")]
    [InlineData("100")]
    [InlineData("950.5")]
    public void ReadScores_OutsideTheSourcesDeclaredScale_IsRefusedNotClamped(string score)
    {
        var csv = Header + $"91330100D3M0000018,{score},B,2026-11-01,zm-2026.10\n";

        var result = CreditRecordReader.ReadScores(csv, json: false, Today, 350, 950);

        Assert.Empty(result.Records);
        var error = Assert.Single(result.Errors);
        Assert.Equal("line 2", error.Row);
        Assert.StartsWith($"分数 {score} 超出本来源声明的范围 350–950", error.Reason, StringComparison.Ordinal);
        Assert.Contains($"score {score} is outside the source's declared scale 350–950", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("350")]
    [InlineData("950")]
    public void ReadScores_OnTheEdgesOfTheScale_IsTaken(string score)
    {
        var result = CreditRecordReader.ReadScores(Header + $"91330100D3M0000018,{score},B,2026-11-01,zm\n", false, Today, 350, 950);

        Assert.Empty(result.Errors);
        Assert.Equal(double.Parse(score, System.Globalization.CultureInfo.InvariantCulture), Assert.Single(result.Records).Record.Score);
    }

    [Fact]
    public void ReadScores_SameUsccAndDateWithDifferentValues_RefusesBothNamingTheOther()
    {
        var csv = Header
            + "91330100D3M0000018,612,B,2026-11-01,zm-2026.10\n"
            + "91310000D3M000002X,700,A,2026-11-01,zm-2026.10\n"
            + "91330100D3M0000018,640,B,2026-11-01,zm-2026.10\n";

        var result = CreditRecordReader.ReadScores(csv, json: false, Today, 350, 950);

        Assert.Equal("91310000D3M000002X", Assert.Single(result.Records).Record.Uscc);
        Assert.Equal(["line 2", "line 4"], result.Errors.Select(e => e.Row).Order(StringComparer.Ordinal));
        Assert.Contains(result.Errors, e => e.Row == "line 2" && e.Reason.StartsWith("与 line 4 冲突", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Row == "line 4" && e.Reason.Contains("conflicts with line 2", StringComparison.Ordinal));
        Assert.Empty(result.Repeats);
    }

    [Fact]
    public void ReadScores_IdenticalRows_CountOnceAndTheRepeatIsListed()
    {
        var row = "91330100D3M0000018,612,B,2026-11-01,zm-2026.10\n";

        var result = CreditRecordReader.ReadScores(Header + row + "91310000D3M000002X,700,A,2026-11-01,zm\n" + row, false, Today, 350, 950);

        Assert.Equal(["91330100D3M0000018", "91310000D3M000002X"], result.Records.Select(r => r.Record.Uscc));
        Assert.Empty(result.Errors);
        Assert.Equal(new RowRepeat("line 4", "line 2"), Assert.Single(result.Repeats));
    }

    [Fact]
    public void ReadScores_SameUsccOnDifferentDates_AreBothTaken()
    {
        var csv = Header + "91330100D3M0000018,612,B,2026-11-01,zm\n91330100D3M0000018,640,B,2026-10-01,zm\n";

        Assert.Equal(2, CreditRecordReader.ReadScores(csv, false, Today, 350, 950).Records.Count);
    }

    [Fact]
    public void ReadRatings_SameUsccAndValidUntilWithDifferentRatings_AreRefused()
    {
        var json = """[{"uscc":"91330100D3M0000018","rating":"AA","industry":"food","valid_until":"2027-06-30"},"""
            + """{"uscc":"91330100D3M0000018","rating":"B","industry":"food","valid_until":"2027-06-30"}]""";

        var result = CreditRecordReader.ReadRatings(json, json: true);

        Assert.Empty(result.Records);
        Assert.All(result.Errors, e => Assert.Contains("same USCC and valid_until", e.Reason, StringComparison.Ordinal));
        Assert.Equal(2, result.Errors.Count);
    }
}
