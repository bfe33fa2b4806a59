using System.Net;
using System.ServiceModel.Syndication;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>An item as the feed states it, before Supervision gives it an identity.</summary>
public sealed record ParsedFeedItem(string? PublisherId, string Title, string Summary, string? Link, DateTimeOffset? PublishedAt);

/// <summary>Why a feed could not be read: kept with the quarantined bytes for an operator.</summary>
public sealed class FeedRejectedException(string reason, Exception? inner = null) : Exception(reason, inner)
{
    public string Reason { get; } = reason;
}

/// <summary>
/// Reads RSS 2.0 and Atom 1.0. DTDs are prohibited and no external resource is ever resolved,
/// so entity-expansion and external-entity attacks fail as malformed input; the document size
/// is capped by the caller and again here.
/// </summary>
public static partial class FeedParser
{
    static FeedParser()
    {
        // GB2312, GBK, GB18030, Big5 and the Windows code pages that Chinese and older feeds declare.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    public static IReadOnlyList<ParsedFeedItem> Parse(byte[] bytes, long maxCharacters)
    {
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            MaxCharactersInDocument = maxCharacters,
            MaxCharactersFromEntities = 1024,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
        };

        try
        {
            using var stream = new MemoryStream(bytes, writable: false);
            using var reader = XmlReader.Create(stream, settings);
            reader.MoveToContent();
            if (reader.LocalName is not ("rss" or "feed"))
            {
                throw new FeedRejectedException($"not an RSS 2.0 or Atom 1.0 feed: the document's root element is <{reader.Name}>");
            }

            var feed = SyndicationFeed.Load(reader);
            return feed.Items.Select(ToParsed).ToList();
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw new FeedRejectedException($"the document declares a DTD, which is prohibited: {e.Message}", e);
        }
        catch (XmlException e)
        {
            throw new FeedRejectedException($"malformed XML: {e.Message}", e);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new FeedRejectedException($"not an RSS 2.0 or Atom 1.0 feed: {e.Message}", e);
        }
    }

    private static ParsedFeedItem ToParsed(SyndicationItem item)
    {
        var summary = item.Summary?.Text ?? (item.Content as TextSyndicationContent)?.Text ?? string.Empty;
        var published = item.PublishDate != default ? item.PublishDate : item.LastUpdatedTime != default ? item.LastUpdatedTime : (DateTimeOffset?)null;
        return new ParsedFeedItem(
            string.IsNullOrWhiteSpace(item.Id) ? null : item.Id,
            PlainText(item.Title?.Text ?? string.Empty),
            PlainText(summary),
            item.Links.FirstOrDefault()?.Uri?.ToString(),
            published);
    }

    /// <summary>Feeds carry HTML in titles and summaries; scoring wants the words only.</summary>
    internal static string PlainText(string html)
    {
        var withoutTags = Tags().Replace(html, " ");
        return Whitespace().Replace(WebUtility.HtmlDecode(withoutTags), " ").Trim();
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
