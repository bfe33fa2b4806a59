using System.Text;
using Supervision.Infrastructure.Ingestion;

namespace Supervision.Infrastructure.Tests;

public class FeedParserTests
{
    private const long Cap = 1_000_000;

    [Fact]
    public void Parse_Rss_ReadsItemsAsPlainText()
    {
        var items = FeedParser.Parse(Encoding.UTF8.GetBytes("""
            <?xml version="1.0" encoding="utf-8"?>
            <rss version="2.0"><channel><title>t</title><link>http://x/</link><description>d</description>
              <item><guid>g1</guid><title>Fined &amp; &lt;b&gt;warned&lt;/b&gt;</title><description>&lt;p&gt;Expired milk&lt;/p&gt;</description><link>http://x/1</link><pubDate>Sat, 28 Nov 2026 10:00:00 GMT</pubDate></item>
            </channel></rss>
            """), Cap);

        var item = Assert.Single(items);
        Assert.Equal("g1", item.PublisherId);
        Assert.Equal("Fined & warned", item.Title);
        Assert.Equal("Expired milk", item.Summary);
        Assert.Equal(new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero), item.PublishedAt);
    }

    [Fact]
    public void Parse_Atom_ReadsEntries()
    {
        var items = FeedParser.Parse(Encoding.UTF8.GetBytes("""
            <feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>urn:f</id><updated>2026-11-28T10:00:00Z</updated>
              <entry><id>urn:e1</id><title>Customs seize goods</title><summary>Smuggled</summary><updated>2026-11-28T09:00:00Z</updated></entry>
            </feed>
            """), Cap);

        Assert.Equal("Customs seize goods", Assert.Single(items).Title);
    }

    [Fact]
    public void Parse_Gb2312DeclaredInProlog_DecodesChinese()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var xml = """<?xml version="1.0" encoding="gb2312"?><rss version="2.0"><channel><title>消费</title><link>http://x/</link><description>d</description><item><title>华夏示例食品被罚款</title></item></channel></rss>""";

        var items = FeedParser.Parse(Encoding.GetEncoding("gb2312").GetBytes(xml), Cap);

        Assert.Equal("华夏示例食品被罚款", Assert.Single(items).Title);
    }

    [Fact]
    public void Parse_EntityExpansionBomb_IsRejectedForItsDtd()
    {
        var bomb = """
            <?xml version="1.0"?>
            <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
            <rss version="2.0"><channel><title>&lol2;</title></channel></rss>
            """;

        var error = Assert.Throws<FeedRejectedException>(() => FeedParser.Parse(Encoding.UTF8.GetBytes(bomb), Cap));

        Assert.Contains("DTD", error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<rss version=\"2.0\"><channel><title>unclosed</channel></rss>", "malformed XML")]
    [InlineData("<html><body>not a feed</body></html>", "not an RSS 2.0 or Atom 1.0 feed")]
    public void Parse_BadInput_IsRejectedWithReason(string text, string reason)
    {
        var error = Assert.Throws<FeedRejectedException>(() => FeedParser.Parse(Encoding.UTF8.GetBytes(text), Cap));

        Assert.StartsWith(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DocumentOverTheCap_IsRejected()
    {
        var big = "<rss version=\"2.0\"><channel><title>" + new string('x', 5000) + "</title></channel></rss>";

        Assert.Throws<FeedRejectedException>(() => FeedParser.Parse(Encoding.UTF8.GetBytes(big), 1000));
    }
}
