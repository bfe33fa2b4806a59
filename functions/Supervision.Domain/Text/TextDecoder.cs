using System.Text;
using System.Text.RegularExpressions;

namespace Supervision.Domain.Text;

/// <summary>Encodings other code needs by name, available once the code-page provider is registered.</summary>
public static class TextDecoderEncodings
{
    public static Encoding Windows1252 { get; } = TextDecoder.ForName("windows-1252")!;
}

/// <summary>
/// Turns third-party bytes into text. The evidence is weighed in the order the XML and HTTP
/// specifications give it: a byte-order mark, then the HTTP charset, then the encoding the
/// source is registered with, then the XML declaration (or the byte pattern of its first
/// characters), then UTF-8 if the bytes are valid UTF-8. A candidate that cannot decode the bytes
/// without error is passed over, because publishers often declare one encoding and send another.
/// </summary>
/// <remarks>
/// When no candidate decodes cleanly, the text is never garbled in silence (<see cref="DecodingIssues"/>):
/// a candidate with a small share of invalid bytes (<see cref="MaxInvalidShare"/>) is kept and those
/// bytes replaced; a body invalid as declared but clean as GB18030 with the byte pattern of Chinese
/// is read as GB18030; with no usable evidence at all, the shape of the high bytes tells GB18030
/// (pairs) from windows-1252 (single accented letters).
/// </remarks>
public static partial class TextDecoder
{
    static TextDecoder()
    {
        // GB2312, GBK, GB18030, Big5, EUC-KR and the Windows code pages older feeds declare.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    private static readonly UTF32Encoding Utf32BigEndian = new(bigEndian: true, byteOrderMark: false, throwOnInvalidCharacters: true);
    private static readonly UTF32Encoding Utf32LittleEndian = new(bigEndian: false, byteOrderMark: false, throwOnInvalidCharacters: true);

    public static DecodedText Decode(ReadOnlySpan<byte> bytes, string? httpCharset = null, string? registeredEncoding = null)
    {
        if (ByteOrderMark(bytes) is { } bom)
        {
            var marked = Attempt(bom.Encoding, bytes[bom.Length..]);
            return Decided(marked, "byte-order mark", marked.InvalidBytes > 0 ? DecodingIssues.InvalidBytesReplaced : DecodingIssues.None);
        }

        var declared = new List<(Encoding Encoding, string Why)>();
        AddNamed(declared, httpCharset, "HTTP charset");
        AddNamed(declared, registeredEncoding, "source registry");
        var sniffed = SniffWideEncoding(bytes);
        if (sniffed is not null)
        {
            declared.Add((sniffed, "byte pattern of the XML declaration"));
        }

        AddNamed(declared, DeclaredInProlog(bytes, sniffed), "XML declaration");
        List<(Encoding Encoding, string Why)> candidates = [.. declared, (new UTF8Encoding(false, true), "valid UTF-8")];
        var attempts = new List<(Attempted Attempt, string Why)>();
        foreach (var (encoding, why) in candidates)
        {
            var attempt = Attempt(encoding, bytes);
            if (attempt.InvalidBytes == 0)
            {
                return Decided(attempt, why, Contradicts(declared, encoding) ? DecodingIssues.DeclarationWrong : DecodingIssues.None);
            }

            attempts.Add((attempt, why));
        }

        return Repaired(bytes, declared, attempts);
    }

    /// <summary>The charset parameter of a Content-Type header, if any.</summary>
    public static string? CharsetOf(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return null;
        }

        var match = CharsetParameter().Match(contentType);
        return match.Success ? match.Groups[1].Value : null;
    }

    /// <summary>
    /// The encoding a name stands for, or null for a name no one can decode. GB2312 and GBK are
    /// read as GB18030, their superset, because publishers label GBK text as GB2312.
    /// </summary>
    public static Encoding? ForName(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var trimmed = name.Trim().Trim('"', '\'').ToUpperInvariant();
        if (trimmed is "GB2312" or "GBK" or "CP936" or "X-GBK" or "GB_2312-80" or "EUC-CN")
        {
            trimmed = "GB18030";
        }

        try
        {
            var encoding = Encoding.GetEncoding(trimmed);
            return encoding.CodePage switch
            {
                // The strict variants, so a wrong declaration is noticed and the next candidate tried.
                65001 => new UTF8Encoding(false, true),
                1200 => new UnicodeEncoding(false, false, true),
                1201 => new UnicodeEncoding(true, false, true),
                12000 => Utf32LittleEndian,
                12001 => Utf32BigEndian,
                _ => encoding,
            };
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static void AddNamed(List<(Encoding, string)> candidates, string? name, string why)
    {
        var encoding = ForName(name);
        if (encoding is null)
        {
            return;
        }

        // "UTF-16" with no byte order is big-endian unless the bytes say otherwise; the sniffed
        // pattern decides instead when there is one.
        candidates.Add((encoding, why));
    }

    private static Encoding Lenient(Encoding encoding)
    {
        var lenient = (Encoding)encoding.Clone();
        lenient.DecoderFallback = DecoderFallback.ReplacementFallback;
        return lenient;
    }

    private static (Encoding Encoding, int Length)? ByteOrderMark(ReadOnlySpan<byte> b)
    {
        if (b.StartsWith((ReadOnlySpan<byte>)[0x00, 0x00, 0xFE, 0xFF]))
        {
            return (Utf32BigEndian, 4);
        }

        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE, 0x00, 0x00]))
        {
            return (Utf32LittleEndian, 4);
        }

        if (b.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return (new UTF8Encoding(false, false), 3);
        }

        if (b.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return (new UnicodeEncoding(true, false, false), 2);
        }

        if (b.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return (new UnicodeEncoding(false, false, false), 2);
        }

        return null;
    }

    // XML 1.0 appendix F: without a byte-order mark, "<?" or "<" in a wide encoding has a telling
    // pattern of zero bytes.
    private static Encoding? SniffWideEncoding(ReadOnlySpan<byte> b)
    {
        if (b.Length < 4)
        {
            return null;
        }

        return (b[0], b[1], b[2], b[3]) switch
        {
            (0x00, 0x00, 0x00, 0x3C) => Utf32BigEndian,
            (0x3C, 0x00, 0x00, 0x00) => Utf32LittleEndian,
            (0x00, 0x3C, 0x00, _) => new UnicodeEncoding(true, false, true),
            (0x3C, 0x00, _, 0x00) => new UnicodeEncoding(false, false, true),
            _ => null,
        };
    }

    private static string? DeclaredInProlog(ReadOnlySpan<byte> bytes, Encoding? wide)
    {
        var head = bytes[..Math.Min(bytes.Length, wide is null ? 512 : 2048)];
        var text = wide is null ? Encoding.Latin1.GetString(head) : Lenient(wide).GetString(head);
        var match = PrologEncoding().Match(text);
        return match.Success ? match.Groups[1].Value : null;
    }

    private static bool LooksLikeDoubleByteChinese(ReadOnlySpan<byte> bytes)
    {
        int runs = 0, singles = 0, run = 0;
        foreach (var b in bytes)
        {
            if (b >= 0x80)
            {
                run++;
                continue;
            }

            if (run > 0)
            {
                runs++;
                singles += run == 1 ? 1 : 0;
                run = 0;
            }
        }

        if (run > 0)
        {
            runs++;
            singles += run == 1 ? 1 : 0;
        }

        // Chinese text is runs of byte pairs; accented Latin text is mostly lone high bytes.
        return runs > 0 && singles * 2 < runs;
    }

    [GeneratedRegex("""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex CharsetParameter();

    [GeneratedRegex("""^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")]
    private static partial Regex PrologEncoding();
}
