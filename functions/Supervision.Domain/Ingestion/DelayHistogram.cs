using System.Globalization;
using System.Text;

namespace Supervision.Domain.Ingestion;

/// <summary>
/// A source's delivery delays (arrival minus publication) as counts in fixed buckets, so a running
/// counter can hold them and the median can be read without keeping every delay.
/// </summary>
/// <remarks>
/// Bucket 0 holds delays under one second; above that, each doubling of the delay is split into
/// <see cref="BucketsPerDoubling"/> buckets, up to about two years (anything later falls in the
/// last bucket). The median read back is the geometric middle of its bucket, so it is within
/// 2^(1/16) - 1 ≈ 4.4 % of the exact median of the same delays. That is exact enough: timeliness
/// is shown to operators as "how late is this source, roughly", and 4 % of a delay is far inside
/// the day-to-day variation of any publisher; in exchange the counter is a few hundred bytes
/// whatever the source's volume, and adding or removing one delay is exact, which is what
/// at-least-once counting needs.
/// </remarks>
public sealed class DelayHistogram
{
    public const int BucketsPerDoubling = 8;

    /// <summary>2^26 seconds is a little over two years; later deliveries share the last bucket.</summary>
    public const int BucketCount = 1 + (26 * BucketsPerDoubling);

    private readonly SortedDictionary<int, long> counts = [];

    public long Count { get; private set; }

    /// <summary>Which bucket a delay in seconds falls in (negative delays are not delays and have none).</summary>
    public static int? BucketOf(double seconds)
    {
        if (double.IsNaN(seconds) || seconds < 0)
        {
            return null;
        }

        if (seconds < 1)
        {
            return 0;
        }

        var bucket = 1 + (int)Math.Floor(Math.Log2(seconds) * BucketsPerDoubling);
        return Math.Min(bucket, BucketCount - 1);
    }

    /// <summary>The delay a bucket stands for: the geometric middle of its bounds (half a second for bucket 0).</summary>
    public static double ValueOf(int bucket) =>
        bucket <= 0 ? 0.5 : Math.Pow(2, (bucket - 0.5) / BucketsPerDoubling);

    /// <summary>Adds (or, with a negative count, removes) delays in one bucket.</summary>
    public void Add(int bucket, long count)
    {
        if (bucket < 0 || bucket >= BucketCount)
        {
            throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "no such delay bucket");
        }

        var now = counts.GetValueOrDefault(bucket) + count;
        if (now == 0)
        {
            counts.Remove(bucket);
        }
        else
        {
            counts[bucket] = now;
        }

        Count += count;
    }

    public void Add(DelayHistogram other)
    {
        foreach (var (bucket, count) in other.counts)
        {
            Add(bucket, count);
        }
    }

    /// <summary>
    /// The delay at rank Count / 2 (the upper median, as a sorted list's middle element would be),
    /// read as its bucket's value; null with no delays.
    /// </summary>
    public double? Median()
    {
        if (Count <= 0)
        {
            return null;
        }

        var rank = Count / 2;
        var seen = 0L;
        foreach (var (bucket, count) in counts)
        {
            seen += count;
            if (seen > rank)
            {
                return ValueOf(bucket);
            }
        }

        return ValueOf(counts.Keys.Last());
    }

    public bool IsEmpty => counts.Count == 0;

    /// <summary>"bucket:count" pairs separated by ';', only the buckets in use.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (bucket, count) in counts)
        {
            text.Append(text.Length == 0 ? string.Empty : ";").Append(CultureInfo.InvariantCulture, $"{bucket}:{count}");
        }

        return text.ToString();
    }

    public static DelayHistogram Parse(string? text)
    {
        var histogram = new DelayHistogram();
        foreach (var pair in (text ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split(':');
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var bucket)
                || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var count))
            {
                throw new FormatException($"'{pair}' is not a delay bucket and count");
            }

            histogram.Add(bucket, count);
        }

        return histogram;
    }
}
