using Supervision.Domain.Ingestion;
using Supervision.Domain.Text;

namespace Supervision.Domain.Tests;

/// <summary>Every field clipped before storage; identity from the full values (issue 16, item 2).</summary>
public class ItemFieldLimitsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 23, 0, 0, TimeSpan.Zero);

    [Fact]
    public void From_OneMegabyteLink_IsClippedAndItsIdentityComesFromTheFullLink()
    {
        var link = "https://example.cn/news?q=" + new string('a', 1_048_576);
        var parsed = new ParsedItem(null, "华夏示例食品被罚款", "摘要", link, Now);

        var item = NormalisedItem.From("feed-a", parsed, "raw", Now);

        Assert.Equal(ItemFieldLimits.Link, item.Link!.Length);
        Assert.StartsWith(item.Link, link, StringComparison.Ordinal);
        Assert.Equal(NormalisedItem.IdentityFor("feed-a", null, link, parsed.Title), item.ItemId);
        var differsPastTheLimit = NormalisedItem.From("feed-a", parsed with { Link = link + "b" }, "raw", Now);
        Assert.Equal(item.Link, differsPastTheLimit.Link);
        Assert.NotEqual(item.ItemId, differsPastTheLimit.ItemId);
    }

    [Fact]
    public void From_EveryFieldOverItsLimit_IsClippedToIt()
    {
        var organisations = Enumerable.Range(0, 500).Select(i => $"{i}{new string('企', 5_000)}").ToList();
        var parsed = new ParsedItem("guid", new string('标', 50_000), new string('文', 500_000), "https://example.cn/1", Now)
        {
            Organisations = organisations,
            Decoding = DecodingIssues.DeclarationWrong,
        };

        var item = NormalisedItem.From("feed-a", parsed, "raw", Now);

        Assert.Equal((ItemFieldLimits.Title, ItemFieldLimits.Summary), (item.Title.Length, item.Summary.Length));
        Assert.Equal(ItemFieldLimits.Organisations, item.Organisations.Count);
        Assert.All(item.Organisations, o => Assert.Equal(ItemFieldLimits.OrganisationName, o.Length));
        Assert.Equal(DecodingIssues.DeclarationWrong, item.Decoding);
    }

    [Fact]
    public void From_TextsDifferingOnlyPastTheLimit_KeepDifferentExactDuplicateKeys()
    {
        var summary = new string('文', ItemFieldLimits.Summary);
        var a = NormalisedItem.From("feed-a", new ParsedItem("1", "标题", summary + "甲", null, Now), "raw", Now);
        var b = NormalisedItem.From("feed-b", new ParsedItem("1", "标题", summary + "乙", null, Now), "raw", Now);
        var same = NormalisedItem.From("feed-c", new ParsedItem("1", "标题", summary + "甲", null, Now), "raw", Now);

        Assert.Equal(a.Text, b.Text);
        Assert.NotEqual(a.FullTextKey, b.FullTextKey);
        Assert.Equal(a.FullTextKey, same.FullTextKey);
        Assert.Equal(SimHash.ExactKey("标题\n" + summary + "甲"), a.FullTextKey);
    }

    [Fact]
    public void Clip_AtASurrogatePair_NeverSplitsIt()
    {
        var text = new string('a', 9) + "😀" + "b";

        Assert.Equal(new string('a', 9), ItemFieldLimits.Clip(text, 10));
        Assert.Equal(new string('a', 9) + "😀", ItemFieldLimits.Clip(text, 11));
    }

    [Fact]
    public void Clip_ControlCharactersAndLoneSurrogates_AreReplacedLineBreaksKept()
    {
        Assert.Equal("a b\tc\nd\uFFFDe", ItemFieldLimits.Clip("a\u0001b\tc\nd\uD800e", 100));
        Assert.Same("unchanged", ItemFieldLimits.Clip("unchanged", 100));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("  ", null)]
    [InlineData(" https://example.cn/1 ", "https://example.cn/1")]
    public void ClipLink_BlankIsNoneAndSpacesAreTrimmed(string? link, string? expected) =>
        Assert.Equal(expected, ItemFieldLimits.ClipLink(link));
}
