using System.Text;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Text;

namespace Supervision.Domain.Tests;

/// <summary>Decoding never garbles in silence (issue 16, item 1).</summary>
public class TextDecoderTests
{
    private const string GoodTitle = "华夏示例食品有限公司因虚假宣传被市场监管局罚款二十万元";

    [Fact]
    public void Decode_DeclaredUtf8WithAFewInvalidBytes_KeepsUtf8ReplacesThemAndFlags()
    {
        var decoded = TextDecoder.Decode(FeedWithDamagedItem(), "utf-8");

        Assert.Equal("utf-8", decoded.Encoding.WebName);
        Assert.Contains(GoodTitle, decoded.Text, StringComparison.Ordinal);
        Assert.Equal(DecodingIssues.InvalidBytesReplaced, decoded.Issues);
        Assert.Equal(3, decoded.InvalidBytes);
        Assert.Equal(2, decoded.Text.Count(c => c == '\uFFFD'));
    }

    [Fact]
    public void Read_Utf8FeedWithAFewInvalidBytes_GoodItemIntactAndOnlyTheDamagedItemFlagged()
    {
        var feed = FeedReader.Read(FeedWithDamagedItem(), "application/rss+xml; charset=utf-8");

        Assert.Equal(DecodingIssues.InvalidBytesReplaced, feed.Decoding);
        Assert.Equal((GoodTitle, DecodingIssues.None), (feed.Items[0].Title, feed.Items[0].Decoding));
        Assert.Equal(DecodingIssues.InvalidBytesReplaced, feed.Items[1].Decoding);
        Assert.StartsWith("东\uFFFD样本", feed.Items[1].Title, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/xml; charset=utf-8")]
    [InlineData(null)]
    public void Read_GbkFeedDeclaredUtf8_IsReadAsGb18030AndFlaggedDeclarationWrong(string? contentType)
    {
        var xml = $"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><item><title>{GoodTitle}</title></item>"""
            + "</channel></rss>";
        var bytes = TextDecoder.ForName("gbk")!.GetBytes(xml);

        var feed = FeedReader.Read(bytes, contentType);

        Assert.Equal("gb18030", feed.Encoding);
        Assert.Equal((GoodTitle, DecodingIssues.DeclarationWrong), (feed.Items[0].Title, feed.Items[0].Decoding));
        Assert.Equal(DecodingIssues.DeclarationWrong, feed.Decoding);
    }

    [Fact]
    public void Decode_HttpCharsetContradictedByTheBytesAndTheProlog_FollowsThePrologAndFlags()
    {
        var xml = $"""<?xml version="1.0" encoding="gb2312"?><rss><channel><title>{GoodTitle}</title></channel></rss>""";

        var decoded = TextDecoder.Decode(TextDecoder.ForName("gbk")!.GetBytes(xml), "utf-8");

        Assert.Equal(
            ("gb18030", "XML declaration", DecodingIssues.DeclarationWrong), (decoded.Encoding.WebName, decoded.DecidedBy, decoded.Issues));
        Assert.Contains(GoodTitle, decoded.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_Latin1DeclaredUtf8_IsReadAsWindows1252AndFlaggedDeclarationWrong()
    {
        var bytes = Encoding.Latin1.GetBytes(
            """<?xml version="1.0" encoding="utf-8"?><rss><channel><title>a região e a nação</title></channel></rss>""");

        var decoded = TextDecoder.Decode(bytes);

        Assert.Equal(("windows-1252", DecodingIssues.DeclarationWrong), (decoded.Encoding.WebName, decoded.Issues));
        Assert.Contains("a região e a nação", decoded.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("utf-8", "utf-8")]
    [InlineData("gb2312", "gb18030")]
    [InlineData(null, "utf-8")]
    public void Decode_CleanAsDeclared_HasNoIssues(string? charset, string expected)
    {
        var bytes = TextDecoder.ForName(charset ?? "utf-8")!.GetBytes($"<rss><channel><title>{GoodTitle}</title></channel></rss>");

        var decoded = TextDecoder.Decode(bytes, charset);

        Assert.Equal((expected, DecodingIssues.None, 0), (decoded.Encoding.WebName, decoded.Issues, decoded.InvalidBytes));
        Assert.Contains(GoodTitle, decoded.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, "utf-8", DecodingIssues.InvalidBytesReplaced)]
    [InlineData(2, "gb18030", DecodingIssues.DeclarationWrong)]
    public void Decode_InvalidShareAroundTheThreshold_KeepsTheDeclarationOnlyUnderIt(int strayPairs, string expected, DecodingIssues issues)
    {
        // 20 Chinese characters in UTF-8 (60 non-ASCII bytes) and stray GB2312 pairs (啊, B0 A1), invalid
        // as UTF-8: 2 of 62 is under 5%, 4 of 64 over it, and the whole body is clean as GB18030.
        var stray = Enumerable.Repeat<byte[]>([0xB0, 0xA1], strayPairs).SelectMany(p => p).ToArray();
        var body = Concat(Encoding.UTF8.GetBytes($"<rss><channel><title>{GoodTitle[..20]}"), stray, "</title></channel></rss>"u8.ToArray());

        var decoded = TextDecoder.Decode(body, "utf-8");

        Assert.Equal((expected, issues), (decoded.Encoding.WebName, decoded.Issues));
    }

    [Fact]
    public void DecodingNotes_EveryIssue_IsSaidChineseFirst()
    {
        Assert.Null(DecodingNotes.Of(DecodingIssues.None));
        foreach (var issues in new[] { DecodingIssues.InvalidBytesReplaced, DecodingIssues.DeclarationWrong, (DecodingIssues)3 })
        {
            var note = DecodingNotes.Of(issues)!;
            Assert.True(note[0] is >= '\u4E00' and <= '\u9FFF', note);
            Assert.Contains(" / ", note, StringComparison.Ordinal);
        }
    }

    /// <summary>A UTF-8 feed of two items; the second has a truncated character (2 bytes) and a stray 0xFF.</summary>
    private static byte[] FeedWithDamagedItem() => Concat(
        Encoding.UTF8.GetBytes($"""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>监管动态</title>
            <item><title>{GoodTitle}</title><link>https://example.cn/1</link><description>消费者投诉不断，监管部门已立案调查。</description></item>
            <item><title>东
            """.TrimEnd()),
        [0xE6, 0x96],
        Encoding.UTF8.GetBytes("样本化工股份有限公司"),
        [0xFF],
        "</title><link>https://example.cn/2</link></item></channel></rss>"u8.ToArray());

    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
