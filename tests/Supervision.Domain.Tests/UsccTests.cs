using Supervision.Domain.Enterprises;

namespace Supervision.Domain.Tests;

public class UsccTests
{
    private static readonly string RealCodes = RepositoryFiles.Fixtures("uscc", "valid.txt");

    [Theory]
    [InlineData("91330100D3M0000018")]
    [InlineData("91310000D3M000002X")]
    [InlineData("121200004013590816")] // from python-stdnum's list of codes found online
    public void Check_ValidCode_IsValid(string code) => Assert.True(Uscc.Check(code).IsValid);

    [Theory]
    [InlineData("91330100D3M0000019", "check character")]
    [InlineData("91330100D3M000001", "18 characters")]
    [InlineData("9133010OD3M0000018", "not in the USCC character set")]
    [InlineData(null, "18 characters")]
    public void Check_InvalidCode_SaysWhy(string? code, string reason)
    {
        var check = Uscc.Check(code);

        Assert.False(check.IsValid);
        Assert.Contains(reason, check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void WithCheckCharacter_Body_RoundTripsThroughCheck()
    {
        var code = Uscc.WithCheckCharacter("91110000D3M000004");

        Assert.Equal("91110000D3M000004N", code);
        Assert.True(Uscc.Check(code).IsValid);
    }

    [Fact]
    public void Check_EverySingleCharacterChangeOfRealCodes_IsRejected()
    {
        var codes = File.ReadAllLines(RealCodes).Where(l => l.Length == Uscc.Length).ToList();
        Assert.Equal(200, codes.Count);
        foreach (var code in codes)
        {
            Assert.True(Uscc.Check(code).IsValid, code);
            for (var position = 0; position < code.Length; position++)
            {
                foreach (var replacement in Uscc.Alphabet.Where(c => c != code[position]))
                {
                    var changed = string.Concat(code.AsSpan(0, position), replacement.ToString(), code.AsSpan(position + 1));
                    Assert.Equal(UsccStatus.Invalid, Uscc.Check(changed).Status);
                }
            }
        }
    }

    [Fact]
    public void Check_RealCasesTable_MatchesWhatEachSourceAsserts()
    {
        var rows = File.ReadAllLines(RepositoryFiles.Fixtures("uscc", "uscc_cases.csv")).Skip(1).Select(l => l.Split(',')).ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var (code, expected) = (row[0], row[1]);
            var status = Uscc.Check(code).Status;
            switch (expected)
            {
                case "valid" or "regex-only-valid" when row[^1] == "True":
                    Assert.Equal(UsccStatus.Valid, status);
                    break;
                case "invalid-checksum-but-legally-issued":
                    Assert.Equal(UsccStatus.Flagged, status);
                    break;
                case "invalid":
                    Assert.Equal(UsccStatus.Invalid, status);
                    break;
            }
        }

        Assert.Equal(4, rows.Count(r => r[1] == "invalid-checksum-but-legally-issued"));
    }

    [Fact]
    public void Check_PilotCode_IsFlaggedWithTheReasonNotRejected()
    {
        var check = Uscc.Check("91350211M0000XUF46");

        Assert.Equal(UsccStatus.Flagged, check.Status);
        Assert.True(check.IsAcceptable);
        Assert.False(check.IsValid);
        Assert.Contains("pilot", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_InvalidExamples_AreRejected()
    {
        foreach (var line in File.ReadAllLines(RepositoryFiles.Fixtures("uscc", "invalid.txt")).Where(l => !l.StartsWith('#')))
        {
            Assert.Equal(UsccStatus.Invalid, Uscc.Check(line.Split('\t')[0]).Status);
        }
    }
}
