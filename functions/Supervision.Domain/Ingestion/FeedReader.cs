using System.Net;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Supervision.Domain.Text;

namespace Supervision.Domain.Ingestion;

/// <summary>
/// Reads syndication feeds: RSS 0.9x and 2.0, RSS 1.0 (RDF) and Atom 0.3 and 1.0.
/// DTDs are prohibited and no external resource is ever resolved, so entity-expansion and
/// external-entity attacks are rejected, and the document size is capped.
/// </summary>
/// <remarks>
/// This is deliberately not System.ServiceModel.Syndication: that reader refuses a whole feed for
/// one date it cannot parse and knows neither RSS 1.0 nor Atom 0.3, and real publishers send all
/// three. It is also forgiving where feeds commonly break XML without being ambiguous: HTML named
/// entities (&amp;nbsp;) become characters, a bare ampersand is read as one, and whitespace before
/// the XML declaration is ignored. Anything else malformed is rejected with the parser's reason.
/// </remarks>
public static partial class FeedReader
{
    private const string AtomNamespace = "http://www.w3.org/2005/Atom";

    // Media types that are certainly not a feed; anything textual or unlabelled is tried.
    private static readonly string[] NotFeedMediaPrefixes =
    [
        "image/", "audio/", "video/", "font/", "application/pdf", "application/zip", "application/gzip", "application/x-gzip",
        "application/vnd.", "application/msword",
    ];

    public static ParsedFeed Read(
        ReadOnlySpan<byte> bytes, string? contentType = null, string? registeredEncoding = null, long maxBytes = 10_000_000)
    {
        var mediaType = contentType?.Split(';')[0].Trim().ToLowerInvariant() ?? string.Empty;
        if (NotFeedMediaPrefixes.Any(p => mediaType.StartsWith(p, StringComparison.Ordinal)))
        {
            throw new InputRejectedException(
                RejectionKind.WrongContentType, $"the server labelled the body '{mediaType}', which is not a feed");
        }

        if (bytes.Length > maxBytes)
        {
            throw new InputRejectedException(
                RejectionKind.Oversized, $"the body has {bytes.Length} bytes, more than the cap of {maxBytes}");
        }

        var decoded = TextDecoder.Decode(bytes, TextDecoder.CharsetOf(contentType), registeredEncoding);
        var root = Load(Repair(decoded.Text), maxBytes, mediaType);
        var (format, title, items) = root.Name.LocalName switch
        {
            "rss" => ReadRss(root),
            "RDF" => ReadRdf(root),
            "feed" => ReadAtom(root),
            "html" or "HTML" => throw new InputRejectedException(
                RejectionKind.NotAFeed, $"an HTML page, not a feed (served as '{Display(mediaType)}')"),
            _ => throw new InputRejectedException(
                RejectionKind.NotAFeed, $"the root element <{root.Name.LocalName}> is not rss, rdf:RDF or feed"),
        };

        var flagged = ParsedItem.Flagged(items, decoded.Issues);
        return new ParsedFeed(format, title, decoded.Encoding.WebName, decoded.DecidedBy, flagged) { Decoding = decoded.Issues };
    }

    /// <summary>Feeds carry HTML in titles and summaries; scoring and matching want the words only.</summary>
    public static string PlainText(string? html)
    {
        if (string.IsNullOrEmpty(html))
        {
            return string.Empty;
        }

        var withoutTags = Tags().Replace(html, " ");
        return Clean(WebUtility.HtmlDecode(withoutTags));
    }

    /// <summary>
    /// Collapses whitespace and repairs C1 control characters: publishers who wrote Windows
    /// smart quotes as &amp;#146; meant windows-1252's ’, not the control character U+0092.
    /// </summary>
    private static string Clean(string text)
    {
        var repaired = string.Create(text.Length, text, (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is >= '\u0080' and <= '\u009F' && Windows1252.GetString([(byte)c]) is [var mapped] ? mapped : c;
            }
        });
        return Whitespace().Replace(repaired, " ").Trim();
    }

    private static readonly System.Text.Encoding Windows1252 = TextDecoderEncodings.Windows1252;

    private static XElement Load(string text, long maxCharacters, string mediaType)
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
            using var reader = XmlReader.Create(new StringReader(text), settings);
            return XDocument.Load(reader).Root
                ?? throw new InputRejectedException(RejectionKind.NotAFeed, "the document has no root element");
        }
        catch (XmlException e) when (e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
        {
            throw new InputRejectedException(
                RejectionKind.DtdProhibited, $"the document declares a DTD, which is prohibited: {e.Message}", e);
        }
        catch (XmlException e) when (LooksLikeHtml(text))
        {
            throw new InputRejectedException(
                RejectionKind.NotAFeed, $"an HTML page, not a feed (served as '{Display(mediaType)}'): {e.Message}", e);
        }
        catch (XmlException e)
        {
            throw new InputRejectedException(RejectionKind.Malformed, $"malformed XML: {e.Message}", e);
        }
    }

    private static string Display(string mediaType) => mediaType.Length == 0 ? "no content type" : mediaType;
    private static bool LooksLikeHtml(string text)
    {
        var head = text.Length > 1024 ? text[..1024] : text;
        return head.Contains("<html", StringComparison.OrdinalIgnoreCase)
            || head.Contains("<!doctype html", StringComparison.OrdinalIgnoreCase);
    }

    private static string Repair(string text)
    {
        var trimmed = text.TrimStart('\uFEFF', ' ', '\t', '\r', '\n');
        var withEntities = NamedEntity().Replace(trimmed, m =>
        {
            var name = m.Groups[1].Value;
            if (name is "amp" or "lt" or "gt" or "quot" or "apos")
            {
                return m.Value;
            }

            var decoded = WebUtility.HtmlDecode(m.Value);
            return decoded == m.Value ? m.Value : string.Concat(decoded.EnumerateRunes().Select(r => $"&#{r.Value};"));
        });
        return BareAmpersand().Replace(withEntities, "&amp;");
    }

    private static (string, string?, IReadOnlyList<ParsedItem>) ReadRss(XElement root)
    {
        // An <rss> with no channel yet is an empty feed, not an error.
        var channel = Child(root, "channel") ?? new XElement("channel");
        var version = (string?)root.Attribute("version") ?? "unversioned";

        // RSS 0.9x allowed items beside the channel as well as inside it.
        var items = channel.Elements().Concat(root.Elements()).Where(e => e.Name.LocalName == "item").Select(item => new ParsedItem(
            Text(Child(item, "guid")),
            PlainText(Text(Child(item, "title"))),
            PlainText(
                Text(FirstOf(item, "description", "summary"))
                ?? Text(Child(item, "encoded"))
                ?? Text(item.Descendants().FirstOrDefault(d => d.Name.LocalName == "description"))),
            Text(Child(item, "link")) ?? PermalinkGuid(item),
            FeedDates.Parse(
                Text(Child(item, "pubDate"))
                ?? Text(Child(item, "date"))
                ?? Text(Child(item, "published"))
                ?? Text(Child(item, "updated")))))
            .ToList();
        return ($"rss {version}", PlainText(Text(Child(channel, "title"))), items);
    }

    private static (string, string?, IReadOnlyList<ParsedItem>) ReadRdf(XElement root)
    {
        var channel = Child(root, "channel");
        var items = root.Elements().Where(e => e.Name.LocalName == "item").Select(item => new ParsedItem(
            (string?)item.Attributes().FirstOrDefault(a => a.Name.LocalName == "about"),
            PlainText(Text(Child(item, "title"))),
            PlainText(Text(Child(item, "description")) ?? Text(Child(item, "encoded"))),
            Text(Child(item, "link")),
            FeedDates.Parse(Text(Child(item, "date")) ?? Text(Child(item, "pubDate")))))
            .ToList();
        return ("rss 1.0", channel is null ? null : PlainText(Text(Child(channel, "title"))), items);
    }

    private static (string, string?, IReadOnlyList<ParsedItem>) ReadAtom(XElement root)
    {
        var format = root.Name.NamespaceName == AtomNamespace ? "atom 1.0" : "atom 0.3";
        var items = root.Elements().Where(e => e.Name.LocalName == "entry").Select(entry => new ParsedItem(
            Text(Child(entry, "id")),
            AtomText(Child(entry, "title")),
            NonEmpty(AtomText(Child(entry, "summary")))
                ?? NonEmpty(AtomText(Child(entry, "content")))
                ?? PlainText(Text(entry.Descendants().FirstOrDefault(d => d.Name.LocalName == "description"))),
            AtomLink(entry),
            FeedDates.Parse(
                Text(Child(entry, "published"))
                ?? Text(Child(entry, "issued"))
                ?? Text(Child(entry, "updated"))
                ?? Text(Child(entry, "modified"))
                ?? Text(Child(entry, "created")))))
            .ToList();
        return (format, AtomText(Child(root, "title")), items);
    }

    private static string? AtomLink(XElement entry)
    {
        var links = entry.Elements().Where(e => e.Name.LocalName == "link").ToList();
        var alternate = links.FirstOrDefault(l => ((string?)l.Attribute("rel") ?? "alternate") == "alternate") ?? links.FirstOrDefault();
        return (string?)alternate?.Attribute("href") ?? Text(alternate);
    }

    private static string? PermalinkGuid(XElement item)
    {
        var guid = Child(item, "guid");
        var isPermalink = (string?)guid?.Attribute("isPermaLink");
        var value = Text(guid);
        return value is not null && isPermalink != "false" && Uri.IsWellFormedUriString(value, UriKind.Absolute) ? value : null;
    }

    /// <summary>
    /// The child with this local name, preferring the parent's own namespace: extension modules
    /// (media:title, a foreign description) may come first and must not win over the feed's own.
    /// </summary>
    private static XElement? Child(XElement parent, string localName) =>
        parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName && e.Name.Namespace == parent.Name.Namespace)
        ?? parent.Elements().FirstOrDefault(e => e.Name.LocalName == localName);

    /// <summary>Whichever of the named children comes first in the document (RSS summary and description are synonyms).</summary>
    private static XElement? FirstOf(XElement parent, params string[] localNames) =>
        parent.Elements().FirstOrDefault(e => localNames.Contains(e.Name.LocalName) && e.Name.Namespace == parent.Name.Namespace)
        ?? parent.Elements().FirstOrDefault(e => localNames.Contains(e.Name.LocalName));

    private static string? NonEmpty(string value) => value.Length == 0 ? null : value;

    /// <summary>
    /// An Atom text construct by its type: text as it is, html with its markup removed, xhtml as
    /// the words of its elements, and any other media type (or Atom 0.3 mode="base64") base64.
    /// </summary>
    private static string AtomText(XElement? element)
    {
        if (element is null)
        {
            return string.Empty;
        }

        var type = ((string?)element.Attribute("type"))?.Trim().ToLowerInvariant() is { Length: > 0 } declared ? declared : "text";
        var mode = ((string?)element.Attribute("mode"))?.Trim().ToLowerInvariant();
        var isTextual = type is "text" or "html" or "xhtml"
            || type.StartsWith("text/", StringComparison.Ordinal)
            || type.EndsWith("xml", StringComparison.Ordinal);
        if (mode == "base64" || !isTextual)
        {
            try
            {
                return PlainText(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(element.Value.Trim())));
            }
            catch (FormatException)
            {
                return PlainText(element.Value);
            }
        }

        if (type is "html" or "text/html" || mode == "escaped")
        {
            return PlainText(element.Value);
        }

        if (type is "xhtml" || type.EndsWith("xml", StringComparison.Ordinal))
        {
            return Clean(string.Join(' ', element.DescendantNodes().OfType<XText>().Select(t => t.Value)));
        }

        return Clean(element.Value);
    }

    private static string? Text(XElement? element)
    {
        var value = element?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex Tags();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex("&([A-Za-z][A-Za-z0-9]{1,31});")]
    private static partial Regex NamedEntity();

    [GeneratedRegex("&(?!(?:[A-Za-z][A-Za-z0-9]{0,31}|#[0-9]{1,7}|#x[0-9A-Fa-f]{1,6});)")]
    private static partial Regex BareAmpersand();
}
