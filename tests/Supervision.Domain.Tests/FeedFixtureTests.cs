using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Supervision.Domain.Ingestion;
using Xunit.Abstractions;

namespace Supervision.Domain.Tests;

/// <summary>
/// Every real-world feed fixture (feedparser's 826-file suite, node-feedparser's and
/// rss-parser's publisher captures) either reads into items with its text decoded as the
/// fixture states, or is rejected with a specific kind and reason. HTTP headers the fixtures
/// carry in their comments are replayed.
/// </summary>
public sealed partial class FeedFixtureTests(ITestOutputHelper output)
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        var root = RepositoryFiles.Fixtures("feeds");
        foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name is not ("LICENSE" or "SOURCE.txt"))
            {
                data.Add(Path.GetRelativePath(root, file));
            }
        }

        return data;
    }

    [Fact]
    public void Fixtures_AreAllPresent() =>
        Assert.True(Files().Count >= 826 + 15 + 17, $"{Files().Count} fixtures found under tests/fixtures/feeds");

    [Theory]
    [MemberData(nameof(Files))]
    public void Fixture_ParsesWithTextDecodedOrIsRejectedWithReason(string relativePath)
    {
        var bytes = File.ReadAllBytes(RepositoryFiles.Fixtures("feeds", relativePath));
        var head = Encoding.Latin1.GetString(bytes, 0, Math.Min(bytes.Length, 2000));
        var contentType = HeaderLine().Match(head) is { Success: true } h ? h.Groups[1].Value.Trim() : null;
        var expectation = ExpectLine().Match(head) is { Success: true } e ? e.Groups[1].Value.Trim() : string.Empty;

        // Feeds that declare nothing and use neither UTF-8, GB18030 nor windows-1252 are read with
        // the encoding registered for their source, as an operator configures it; feedparser's
        // chardet fixtures state that encoding in their expectation.
        var registered = relativePath.Contains("chardet", StringComparison.Ordinal)
                && EncodingExpectation().Match(expectation) is { Success: true } stated
            ? stated.Groups[1].Value
            : null;

        ParsedFeed feed;
        try
        {
            feed = FeedReader.Read(bytes, contentType, registered);
        }
        catch (InputRejectedException rejection)
        {
            output.WriteLine($"rejected {rejection.Kind}: {rejection.Reason}");
            Assert.False(string.IsNullOrWhiteSpace(rejection.Reason));
            Assert.True(Enum.IsDefined(rejection.Kind));

            // What feedparser reads without complaint we must read too, unless it declares a DTD
            // (prohibited here by policy) or is not well-formed XML (feedparser falls back to a
            // loose HTML parser; we quarantine rather than guess).
            if (expectation.StartsWith("not bozo", StringComparison.Ordinal))
            {
                Assert.Contains(rejection.Kind, new[] { RejectionKind.DtdProhibited, RejectionKind.Malformed });
            }

            return;
        }

        output.WriteLine($"{feed.Format}, {feed.Items.Count} items, {feed.Encoding} by {feed.EncodingDecidedBy}");
        foreach (Match check in TextExpectation().Matches(expectation))
        {
            // feedparser gives sanitised HTML for HTML constructs and plain text for text ones;
            // our text must equal one reading of its value.
            var literal = PythonString(check.Groups["value"].Value);
            var readings = new[]
            {
                FeedReader.PlainText(literal),
                string.Join(' ', literal.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)),
            };
            var (scope, field) = (check.Groups["scope"].Value, check.Groups["field"].Value);
            var actual = scope == "feed"
                ? field == "title" ? feed.Title : null
                : feed.Items.Count == 0 ? null : field == "title" ? feed.Items[0].Title : feed.Items[0].Summary;
            if (scope == "feed" && field != "title")
            {
                continue;
            }

            Assert.Contains(actual, readings);
        }

        if (EncodingExpectation().Match(expectation) is { Success: true } encoding)
        {
            // RFC 3023 makes text/xml without a charset US-ASCII; we read such bodies by their
            // declaration instead, which decodes an ASCII-only body to the same text.
            var asciiOnly = bytes.All(b => b < 0x80);
            if (!(Canonical(encoding.Groups[1].Value) == "us-ascii" && asciiOnly))
            {
                Assert.Equal(Canonical(encoding.Groups[1].Value), Canonical(feed.Encoding));
            }
        }
    }

    [SkippableFact]
    public void ChineseFeedsFromSharedData_ReadWithChineseText()
    {
        var folder = RepositoryFiles.Shared("feeds", "rodel-reader-zh");
        Skip.IfNot(
            Directory.Exists(folder),
            $"{folder} is absent: these feeds have no licence to copy, so they are read from ../shared/data only");
        foreach (var file in Directory.EnumerateFiles(folder, "*.xml"))
        {
            var feed = FeedReader.Read(File.ReadAllBytes(file), "application/xml");
            Assert.NotEmpty(feed.Items);
            Assert.Contains(feed.Items, i => (i.Title + i.Summary).Any(c => c is >= '\u4E00' and <= '\u9FFF'));
            output.WriteLine($"{Path.GetFileName(file)}: {feed.Format}, {feed.Items.Count} items, first \"{feed.Items[0].Title}\"");
        }
    }

    private static string Canonical(string encoding) => encoding.ToLowerInvariant().Replace("_", "-", StringComparison.Ordinal) switch
    {
        "gb2312" or "gbk" or "gb18030" => "gb18030",
        "us-ascii" or "ascii" => "us-ascii",
        "utf-16" or "utf-16le" => "utf-16le",
        "utf-16be" or "unicodefffe" => "utf-16be",
        "utf-32" or "utf-32le" => "utf-32le",
        "tis-620" or "windows-874" => "windows-874",
        var other => other,
    };

    private static string PythonString(string literal)
    {
        var body = literal[1..^1];
        var builder = new StringBuilder();
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\' || i + 1 >= body.Length)
            {
                builder.Append(body[i]);
                continue;
            }

            var c = body[++i];
            switch (c)
            {
                case 'x': builder.Append((char)Hex(body.AsSpan(i + 1, 2))); i += 2; break;
                case 'u': builder.Append((char)Hex(body.AsSpan(i + 1, 4))); i += 4; break;
                case 'U': builder.Append(char.ConvertFromUtf32(Hex(body.AsSpan(i + 1, 8)))); i += 8; break;
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                default: builder.Append(c); break;
            }
        }

        return builder.ToString();

        static int Hex(ReadOnlySpan<char> digits) => int.Parse(digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"^Header:\s*Content-type:\s*(.+)$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex HeaderLine();

    [GeneratedRegex(@"^Expect:\s*(.+)$", RegexOptions.Multiline)]
    private static partial Regex ExpectLine();

    [GeneratedRegex(
        @"(?<scope>feed|entries\[0\])\[['""](?<field>title|summary|description)['""]\]\s*==\s*u?"
        + @"(?<value>'(?:[^'\\]|\\.)*'|""(?:[^""\\]|\\.)*"")")]
    private static partial Regex TextExpectation();

    [GeneratedRegex(@"encoding\s*==\s*['""]([^'""]+)['""]")]
    private static partial Regex EncodingExpectation();
}
