using Supervision.Domain.Credit;

namespace Supervision.Domain.Tests;

/// <summary>An enterprise's download of a credit file: the header and its own rows, never another enterprise's.</summary>
public class CreditFileExtractTests
{
    private const string Mine = "91330100D3M0000018";
    private const string Theirs = "91310000D3M000002X";

    [Fact]
    public void For_ABureauCsv_KeepsTheHeaderAndOwnRowsOnly()
    {
        var csv = "uscc,score,grade,as_of,model_version\r\n"
            + $"{Theirs},410,D,2026-11-30,v3\r\n"
            + $"{Mine},520,C,2026-11-30,v3\r\n"
            + $"{Theirs},415,D,2026-12-01,v3\r\n"
            + $" {Mine.ToLowerInvariant()} ,530,C,2026-12-01,v3\r\n";

        var extract = CreditFileExtract.For(csv, Mine, fromCreditSource: true);

        Assert.Equal(ExtractKind.OwnRows, extract.Kind);
        Assert.Equal(2, extract.Rows);
        Assert.Equal("csv", extract.Extension);
        Assert.StartsWith("uscc,score,grade,as_of,model_version\r\n", extract.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Theirs, extract.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void For_AQuotedFieldHoldingAnotherEnterprisesLine_NeverCarriesItAlong()
    {
        var csv = "uscc,record_type,authority,reference,decided_on,severity,description\n"
            + $"{Mine},penalty,SAMR,R-1,2026-10-01,ordinary,\"fined\n{Theirs},penalty,SAMR,R-2,2026-10-02,serious,x\"\n"
            + $"{Theirs},penalty,SAMR,R-3,2026-10-03,serious,other enterprise's listing\n";

        var extract = CreditFileExtract.For(csv, Mine, fromCreditSource: true);

        // The quoted field is one field of the enterprise's own row; the next physical row is another enterprise's.
        Assert.Equal(1, extract.Rows);
        Assert.DoesNotContain("R-3", extract.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("other enterprise's listing", extract.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void For_AnotherEnterprise_GetsNoneOfTheFirstOnesRows()
    {
        var csv = $"uscc,rating,industry,valid_until\n{Mine},BB,trade,2027-06-30\n";

        var extract = CreditFileExtract.For(csv, Theirs, fromCreditSource: true);

        Assert.Equal((ExtractKind.OwnRows, 0), (extract.Kind, extract.Rows));
        Assert.Equal("uscc,rating,industry,valid_until\r\n", extract.Text);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void For_JsonArraysAndJsonLines_KeepOwnRows(bool array)
    {
        string[] rows = [$"{{\"uscc\":\"{Theirs}\",\"rating\":\"C\"}}", $"{{\"uscc\":\"{Mine}\",\"rating\":\"BB\"}}"];
        var text = array ? "[" + string.Join(",", rows) + "]" : string.Join("\n", rows) + "\n{not json " + Theirs + "\n";

        var extract = CreditFileExtract.For(text, Mine, fromCreditSource: true);

        Assert.Equal((ExtractKind.OwnRows, 1, array ? "json" : "jsonl"), (extract.Kind, extract.Rows, extract.Extension));
        Assert.Contains(Mine, extract.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(Theirs, extract.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void For_AFeedNotACreditFile_IsWhole()
    {
        var rss = "<?xml version=\"1.0\"?><rss><channel><item><title>x</title></item></channel></rss>";

        Assert.Equal(ExtractKind.Whole, CreditFileExtract.For(rss, Mine, fromCreditSource: false).Kind);
    }

    [Theory]
    [InlineData("score;grade\n1;2\n")]
    [InlineData("uscc,score\n\"unclosed,1\n")]
    public void For_ACreditSourcesFileWhoseRowsCannotBeToldApart_IsRefused(string text)
    {
        Assert.Equal(ExtractKind.Refused, CreditFileExtract.For(text, Mine, fromCreditSource: true).Kind);
    }
}
