using System.Text;

namespace Supervision.Domain.Text;

/// <summary>What an operator should know about how a text was read; none when it decoded cleanly as declared.</summary>
[Flags]
public enum DecodingIssues
{
    None = 0,

    /// <summary>Bytes invalid in the encoding the text was read with were replaced with U+FFFD.</summary>
    InvalidBytesReplaced = 1,

    /// <summary>The declared encoding could not be right (the bytes are invalid in it); the text was read with another.</summary>
    DeclarationWrong = 2,
}

/// <summary>Decoded text, the encoding it was read with, why that encoding was chosen, and what went wrong on the way.</summary>
public sealed record DecodedText(string Text, Encoding Encoding, string DecidedBy)
{
    public DecodingIssues Issues { get; init; }

    /// <summary>How many bytes were invalid in <see cref="Encoding"/> and replaced.</summary>
    public int InvalidBytes { get; init; }
}

/// <summary>The texts operators read for <see cref="DecodingIssues"/>: Chinese first, English beside it.</summary>
public static class DecodingNotes
{
    public static string? Of(DecodingIssues flags) => flags switch
    {
        DecodingIssues.None => null,
        DecodingIssues.InvalidBytesReplaced => "少量无效字节已替换为 U+FFFD / invalid bytes replaced with U+FFFD",
        DecodingIssues.DeclarationWrong => "声明的编码有误，已按实际编码读取 / declared encoding wrong, read as the bytes are",
        _ => "声明的编码有误且有无效字节被替换 / declared encoding wrong and invalid bytes replaced",
    };
}

public static partial class TextDecoder
{
    /// <summary>
    /// The largest share of invalid bytes with which a candidate encoding is still kept (the bad
    /// bytes replaced, the text flagged): 5% of the bytes that are not ASCII (of all bytes for UTF-16
    /// and UTF-32, where ASCII is two or four bytes). A UTF-8 feed with a few corrupted characters
    /// stays well under it; GBK text read as UTF-8 is mostly invalid (typically over 40%), so a
    /// mislabelled Chinese feed is never kept as declared with its characters replaced.
    /// </summary>
    public const double MaxInvalidShare = 0.05;

    private sealed record Attempted(Encoding Encoding, string Text, int InvalidBytes, int Measured);

    /// <summary>
    /// No candidate decoded cleanly. One nearly right is kept with its bad bytes replaced; else a
    /// mislabelled Chinese body that is clean as GB18030 is read so; else whichever reading replaces
    /// the fewest bytes (the declared one on a tie, the byte-pattern guess last). Flagged either way.
    /// </summary>
    private static DecodedText Repaired(
        ReadOnlySpan<byte> bytes, List<(Encoding Encoding, string Why)> declared, List<(Attempted Attempt, string Why)> attempts)
    {
        foreach (var (attempt, why) in attempts)
        {
            if (attempt.InvalidBytes <= attempt.Measured * MaxInvalidShare)
            {
                return Decided(attempt, $"{why}, {attempt.InvalidBytes} invalid byte(s) replaced", Issues(declared, attempt));
            }
        }

        var chinese = LooksLikeDoubleByteChinese(bytes);
        if (chinese && declared.Count > 0 && Attempt(Encoding.GetEncoding("GB18030"), bytes) is { InvalidBytes: 0 } gb)
        {
            return Decided(gb, $"invalid as declared ({declared[0].Encoding.WebName}), clean as GB18030", DecodingIssues.DeclarationWrong);
        }

        var guess = Attempt(chinese ? Encoding.GetEncoding("GB18030") : Encoding.GetEncoding(1252), bytes);
        var (best, bestWhy) = attempts.Append((guess, "high-byte pattern (no usable declaration)")).MinBy(a => a.Item1.InvalidBytes);
        var decidedBy = best.InvalidBytes == 0 ? bestWhy : $"{bestWhy}, {best.InvalidBytes} invalid byte(s) replaced";
        return Decided(best, decidedBy, Issues(declared, best));
    }

    private static DecodingIssues Issues(List<(Encoding Encoding, string Why)> declared, Attempted attempt) =>
        (Contradicts(declared, attempt.Encoding) ? DecodingIssues.DeclarationWrong : DecodingIssues.None)
        | (attempt.InvalidBytes > 0 ? DecodingIssues.InvalidBytesReplaced : DecodingIssues.None);

    private static DecodedText Decided(Attempted attempt, string why, DecodingIssues flags) =>
        new(attempt.Text, attempt.Encoding, why) { Issues = flags, InvalidBytes = attempt.InvalidBytes };

    /// <summary>Whether reading with <paramref name="chosen"/> goes against the first declaration there was.</summary>
    private static bool Contradicts(List<(Encoding Encoding, string Why)> declared, Encoding chosen) =>
        declared.Count > 0 && declared[0].Encoding.CodePage != chosen.CodePage;

    /// <summary>Decodes with every invalid sequence replaced by U+FFFD, counting the bytes replaced.</summary>
    private static Attempted Attempt(Encoding encoding, ReadOnlySpan<byte> bytes)
    {
        var counting = new CountingFallback();
        var lenient = (Encoding)encoding.Clone();
        lenient.DecoderFallback = counting;
        var text = lenient.GetString(bytes);
        var wide = encoding is UnicodeEncoding or UTF32Encoding;
        var measured = wide ? bytes.Length : NonAscii(bytes);
        return new Attempted(encoding, text, counting.InvalidBytes, measured);
    }

    private static int NonAscii(ReadOnlySpan<byte> bytes)
    {
        var count = 0;
        foreach (var b in bytes)
        {
            count += b >= 0x80 ? 1 : 0;
        }

        return count;
    }

    /// <summary>
    /// Replaces each invalid sequence with U+FFFD and counts its bytes. An encoding may run the
    /// fallback twice over the same input (once to size the output, once to fill it); it moves
    /// forward through the input each time, so a sequence is counted only past the furthest seen.
    /// </summary>
    private sealed class CountingFallback : DecoderFallback
    {
        private int furthest = -1;

        public int InvalidBytes { get; private set; }

        public override int MaxCharCount => 1;

        public override DecoderFallbackBuffer CreateFallbackBuffer() => new Buffer(this);

        private void Saw(int index, int length)
        {
            if (index > furthest)
            {
                furthest = index;
                InvalidBytes += length;
            }
        }

        private sealed class Buffer(CountingFallback owner) : DecoderFallbackBuffer
        {
            // -1: nothing to give; 1: the replacement character is next; 0: it was given.
            private int remaining = -1;

            public override int Remaining => Math.Max(remaining, 0);

            public override bool Fallback(byte[] bytesUnknown, int index)
            {
                owner.Saw(index, bytesUnknown.Length);
                remaining = 1;
                return true;
            }

            public override char GetNextChar()
            {
                if (remaining != 1)
                {
                    return '\0';
                }

                remaining = 0;
                return '\uFFFD';
            }

            public override bool MovePrevious()
            {
                if (remaining != 0)
                {
                    return false;
                }

                remaining = 1;
                return true;
            }

            public override void Reset() => remaining = -1;
        }
    }
}
