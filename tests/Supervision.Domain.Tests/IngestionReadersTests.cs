using System.IO.Compression;
using System.Text;
using Supervision.Domain.Credit;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Text;

namespace Supervision.Domain.Tests;

public class IngestionReadersTests
{
    [Fact]
    public void GdeltGkg_WholeSlice_ReadsEveryRecordWithOrganisationsAndTone()
    {
        using var zip = ZipFile.OpenRead(RepositoryFiles.Fixtures("gdelt", "20230702153000.gkg.csv.zip"));
        using var reader = new StreamReader(zip.Entries.Single().Open(), Encoding.UTF8);

        var result = GdeltGkgReader.Read(reader);

        Assert.Empty(result.Errors);
        Assert.Equal(951, result.Items.Count);
        Assert.All(result.Items, i => Assert.NotNull(i.Tone));
        Assert.All(result.Items, i => Assert.StartsWith("20230702153000-", i.PublisherId, StringComparison.Ordinal));
        Assert.True(result.Items.Count(i => i.Organisations.Count > 0) > 500, "most GKG records name organisations");
        Assert.Contains(result.Items, i => i.Title.Length > 0 && !i.Title.StartsWith("http", StringComparison.Ordinal));
    }

    [Fact]
    public void GdeltGkg_RecordWithWrongColumnCount_IsReportedNotFatal()
    {
        var result = GdeltGkgReader.Read(new StringReader("a\tb\tc\n"));

        Assert.Empty(result.Items);
        Assert.Contains("27", Assert.Single(result.Errors), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/xml; charset=gb2312", null)]
    [InlineData(null, "GBK")]
    [InlineData(null, null)]
    public void TextDecoder_Gbk_FromHeaderRegistryOrBytePattern(string? contentType, string? registered)
    {
        var bytes = TextDecoder.ForName("gb18030")!.GetBytes("<rss><channel><title>华夏示例食品因虚假宣传被罚款，消费者投诉不断</title></channel></rss>");

        var decoded = TextDecoder.Decode(bytes, TextDecoder.CharsetOf(contentType), registered);

        Assert.Contains("华夏示例食品因虚假宣传被罚款", decoded.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TextDecoder_Latin1WithoutDeclaration_ReadsAsWindows1252()
    {
        var bytes = Encoding.Latin1.GetBytes("<rss><channel><title>Governo anuncia medidas para a região</title></channel></rss>");

        Assert.Contains("região", TextDecoder.Decode(bytes).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void SimHash_RepostWithSmallEdits_IsNearDuplicate_DifferentStoryIsNot()
    {
        var index = new NearDuplicateIndex();
        var original = index.Assign("a", "华夏示例食品有限公司因销售过期牛奶被市场监管局罚款二十万元，消费者投诉不断");
        var repost = index.Assign("b", "转发：华夏示例食品有限公司因销售过期牛奶被市场监管局罚款二十万元，消费者投诉不断！");
        var exact = index.Assign("c", "华夏示例食品有限公司因销售过期牛奶被市场监管局罚款二十万元，消费者投诉不断");
        var other = index.Assign("d", "东方样本化工股份有限公司获评省级绿色工厂，环保投入持续增加");

        Assert.Equal(DuplicateKind.New, original.Kind);
        Assert.Equal((DuplicateKind.Near, "a"), (repost.Kind, repost.StoryId));
        Assert.Equal((DuplicateKind.Exact, "a"), (exact.Kind, exact.StoryId));
        Assert.Equal((DuplicateKind.New, "d"), (other.Kind, other.StoryId));
    }

    [Fact]
    public void Csv_QuotedFieldsWithSeparatorsQuotesAndNewlines()
    {
        var records = Csv.Read(new StringReader("a,b\r\n\"x, y\",\"he said \"\"hi\"\"\nnext line\"\r\n")).ToList();

        Assert.Equal(2, records.Count);
        Assert.Equal(["x, y", "he said \"hi\"\nnext line"], records[1].Fields);
        Assert.Equal(2, records[1].Line);
    }

    [Fact]
    public void Csv_UnclosedQuote_IsAnError() =>
        Assert.Throws<FormatException>(() => Csv.Read(new StringReader("a\n\"open")).ToList());

    [Fact]
    public void CreditScores_GoodRowsProceedBadRowsAreExplained()
    {
        var csv = """
            uscc,score,grade,as_of,model_version
            91330100D3M0000018,612,B,2026-11-01,zm-2026.10
            91330100D3M0000019,700,A,2026-11-01,zm-2026.10
            91310000D3M000002X,abc,B,2026-11-01,zm-2026.10
            91310000D3M000002X,650,,2026-11-01,zm-2026.10
            91310000D3M000002X,650,B,2030-01-01,zm-2026.10
            91350211M0000XUF46,580,C,2026-10-31,zm-2026.10
            """;

        var result = CreditRecordReader.ReadScores(csv, json: false, new DateOnly(2026, 11, 28), 0, 1000);

        Assert.Equal(["91330100D3M0000018", "91350211M0000XUF46"], result.Records.Select(r => r.Record.Uscc));
        Assert.Equal(4, result.Errors.Count);
        Assert.Contains(result.Errors, e => e.Row == "line 3" && e.Reason.Contains("check character", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Reason.Contains("score 'abc'", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Reason.Contains("grade is missing", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.Reason.Contains("future", StringComparison.Ordinal));
    }

    [Fact]
    public void AssociationRatings_Json_ChecksTheScale()
    {
        var json = """[{"uscc":"91330100D3M0000018","rating":"AA","industry":"food","valid_until":"2027-06-30"},"""
            + """{"uscc":"91330100D3M0000018","rating":"A+","industry":"food","valid_until":"2027-06-30"}]""";

        var result = CreditRecordReader.ReadRatings(json, json: true);

        Assert.Equal("AA", Assert.Single(result.Records).Record.Rating);
        Assert.Contains("A+", Assert.Single(result.Errors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CreditScores_CsvMissingColumn_RejectsTheWholeFile()
    {
        var error = Assert.Throws<InputRejectedException>(
            () => CreditRecordReader.ReadScores("uscc,score\n1,2\n", json: false, new DateOnly(2026, 11, 28), 0, 1000));

        Assert.Equal(RejectionKind.InvalidRecords, error.Kind);
        Assert.Contains("grade", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonItems_PagedAndLines_ReadThroughTheFieldMap()
    {
        var map = new JsonFieldMap { Title = "headline", Text = "body.text", Items = "data", NextCursor = "paging.next" };
        var page = JsonItemReader.ReadPage(
            """{"data":[{"id":"1","headline":"罚款","body":{"text":"华夏示例食品"}},{"id":"2"}],"paging":{"next":"c2"}}""", map);
        var lines = JsonItemReader.ReadLines("{\"id\":\"1\",\"headline\":\"a\"}\nnot json\n", map);

        Assert.Equal(("罚款", "华夏示例食品"), (Assert.Single(page.Items).Title, page.Items[0].Summary));
        Assert.Equal("c2", page.NextCursor);
        Assert.Single(page.Errors);
        Assert.Single(lines.Items);
        Assert.Contains("line 2", Assert.Single(lines.Errors), StringComparison.Ordinal);
    }

    [Fact]
    public void SourceQuality_ReviewsMoveTrustQuarantinesLowerIt()
    {
        var fresh = SourceQuality.Trust(0.8, new SourceStatistics("s", 100, 0, 0, 50, 50, 60, 0, 0, 0));
        var rejected = SourceQuality.Trust(0.8, new SourceStatistics("s", 100, 0, 0, 50, 50, 60, 0, 0, 30));
        var unreadable = SourceQuality.Trust(0.8, new SourceStatistics("s", 50, 0, 0, 50, 0, 60, 50, 0, 0));

        Assert.Equal(0.8, fresh.Weight);
        Assert.True(rejected.Weight < 0.25, rejected.Explanation);
        Assert.Equal(0.6, unreadable.Weight, 3);
    }
}
