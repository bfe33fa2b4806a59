using Supervision.Domain.Ingestion;

namespace Supervision.Domain.Tests;

public sealed class DelayHistogramTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(101)]
    [InlineData(5_000)]
    public void Median_RandomDelays_IsWithinTheBucketErrorOfTheExactMedian(int count)
    {
        var random = new Random(count);
        // Delays from under a second to about a month, spread over orders of magnitude as real feeds are.
        var delays = Enumerable.Range(0, count).Select(_ => Math.Pow(10, (random.NextDouble() * 6.4) - 0.5)).ToList();
        var histogram = new DelayHistogram();
        foreach (var delay in delays)
        {
            histogram.Add(DelayHistogram.BucketOf(delay)!.Value, 1);
        }

        var exact = delays.Order().ElementAt(count / 2);
        var median = histogram.Median()!.Value;

        var bound = Math.Pow(2, 1.0 / (2 * DelayHistogram.BucketsPerDoubling));
        Assert.InRange(median, Math.Min(exact / bound, 0.5), exact < 1 ? 1 : exact * bound);
        Assert.Equal(count, histogram.Count);
    }

    [Fact]
    public void Add_RemovingWhatWasAdded_LeavesTheOtherDelaysAndTheirMedian()
    {
        var histogram = new DelayHistogram();
        var kept = new[] { 10.0, 20, 40 };
        foreach (var delay in kept.Concat([3_000.0, 90_000]))
        {
            histogram.Add(DelayHistogram.BucketOf(delay)!.Value, 1);
        }

        histogram.Add(DelayHistogram.BucketOf(3_000)!.Value, -1);
        histogram.Add(DelayHistogram.BucketOf(90_000)!.Value, -1);

        Assert.Equal(3, histogram.Count);
        Assert.InRange(histogram.Median()!.Value, 20 / 1.05, 20 * 1.05);
    }

    [Fact]
    public void Parse_WrittenHistogram_ReadsBackTheSameCountsAndMedian()
    {
        var histogram = new DelayHistogram();
        foreach (var delay in new[] { 0.2, 7, 7.1, 3_600, 1e9 })
        {
            histogram.Add(DelayHistogram.BucketOf(delay)!.Value, 1);
        }

        var read = DelayHistogram.Parse(histogram.ToString());

        Assert.Equal(histogram.ToString(), read.ToString());
        Assert.Equal((5L, histogram.Median()), (read.Count, read.Median()));
        Assert.Equal(DelayHistogram.BucketCount - 1, DelayHistogram.BucketOf(1e9));
    }

    [Theory]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    public void BucketOf_NoRealDelay_HasNoBucket(double seconds) => Assert.Null(DelayHistogram.BucketOf(seconds));

    [Fact]
    public void Median_NoDelays_IsNull() => Assert.Null(new DelayHistogram().Median());

    [Theory]
    [InlineData("3")]
    [InlineData("x:1")]
    [InlineData("9999:1")]
    public void Parse_Garbage_IsRefused(string text) =>
        Assert.ThrowsAny<Exception>(() => DelayHistogram.Parse(text));
}
