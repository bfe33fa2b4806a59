using System.Text;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Text;

namespace Supervision.Domain.Tests;

public class FeedReaderTests
{
    [Fact]
    public void Read_EntityExpansionBomb_IsRejectedForItsDtd()
    {
        const string entities = """<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">"""
            + """<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">""";
        var bomb = $"""
            <?xml version="1.0"?>
            <!DOCTYPE lolz [{entities}]>
            <rss version="2.0"><channel><title>&lol3;</title></channel></rss>
            """;

        var error = Assert.Throws<InputRejectedException>(() => FeedReader.Read(Encoding.UTF8.GetBytes(bomb)));

        Assert.Equal(RejectionKind.DtdProhibited, error.Kind);
    }

    [Fact]
    public void Read_ExternalEntity_IsNeverResolved()
    {
        var xxe = """<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>"""
            + """<rss version="2.0"><channel><title>&x;</title></channel></rss>""";

        Assert.Equal(
            RejectionKind.DtdProhibited,
            Assert.Throws<InputRejectedException>(() => FeedReader.Read(Encoding.UTF8.GetBytes(xxe))).Kind);
    }

    [Fact]
    public void Read_Gb2312DeclaredOnlyInTheHttpHeader_DecodesChinese()
    {
        var bytes = TextDecoder.ForName("gb2312")!
            .GetBytes("<rss version=\"2.0\"><channel><item><title>华夏示例食品被罚款</title></item></channel></rss>");

        var feed = FeedReader.Read(bytes, "application/rss+xml; charset=gb2312");

        Assert.Equal("华夏示例食品被罚款", Assert.Single(feed.Items).Title);
        Assert.Equal("HTTP charset", feed.EncodingDecidedBy);
    }

    [Fact]
    public void Read_HtmlEntitiesAndBareAmpersands_AreReadAsPublishersMeantThem()
    {
        var feed = FeedReader.Read(Encoding.UTF8.GetBytes(
            "<rss version=\"2.0\"><channel><item><title>AT&T &nbsp;fined &mdash; again</title></item></channel></rss>"));

        Assert.Equal("AT&T fined — again", feed.Items[0].Title);
    }

    [Fact]
    public void Read_OverTheCap_IsRejectedAsOversized() =>
        Assert.Equal(
            RejectionKind.Oversized,
            Assert.Throws<InputRejectedException>(() => FeedReader.Read(new byte[2000], maxBytes: 1000)).Kind);
}
