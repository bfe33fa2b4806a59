using Supervision.Domain.Enterprises;

namespace Supervision.Domain.Tests;

public class UsccTests
{
    private static readonly string SharedValid = Path.Combine(RepositoryRoot(), "..", "shared", "data", "uscc", "valid.txt");

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
        if (!File.Exists(SharedValid))
        {
            Assert.Fail($"shared data missing: {SharedValid} (this test reads the real codes from ../shared/data/uscc)");
        }

        var codes = File.ReadAllLines(SharedValid).Where(l => l.Length == Uscc.Length).ToList();
        Assert.Equal(200, codes.Count);
        foreach (var code in codes)
        {
            Assert.True(Uscc.Check(code).IsValid, code);
            for (var position = 0; position < code.Length; position++)
            {
                foreach (var replacement in Uscc.Alphabet.Where(c => c != code[position]))
                {
                    var changed = string.Concat(code.AsSpan(0, position), replacement.ToString(), code.AsSpan(position + 1));
                    Assert.False(Uscc.Check(changed).IsValid, changed);
                }
            }
        }
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Supervision.Functions.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? AppContext.BaseDirectory;
    }
}
