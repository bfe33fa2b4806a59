using System.Diagnostics;
using System.Globalization;
using Supervision.Infrastructure.Storage;

namespace Supervision.Benchmarks;

/// <summary>One sample of the scale run: process memory and every pipeline queue's depth.</summary>
internal sealed record ScaleSample(
    TimeSpan At, long WorkingSet, long GcHeap, IReadOnlyDictionary<string, int> Depths, double AzuriteRoundTrip)
{
    public int TotalDepth => Depths.Values.Sum();
}

/// <summary>
/// Samples the process's memory, the queues' depths and Azurite's own queue round trip (the
/// reference: how busy the storage is) every few seconds, and prints each sample.
/// </summary>
internal sealed class ScaleSamples(LiveHost host, TimeSpan every)
{
    private readonly AzuriteRoundTrip roundTrip = new(host.Queue("bench-round-trip"));
    private readonly List<ScaleSample> samples = [];
    private readonly Stopwatch clock = Stopwatch.StartNew();

    public string LastDepths { get; private set; } = string.Empty;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await SampleAsync();
            try
            {
                await Task.Delay(every, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Waits until every pipeline queue reads empty twice running; false if the limit passes first.</summary>
    public async Task<bool> WaitForDrainAsync(TimeSpan limit)
    {
        var until = clock.Elapsed + limit;
        var empty = 0;
        while (clock.Elapsed < until)
        {
            var depths = await DepthsAsync();
            // Poison queues are reported, not waited for: what lands there stays for an operator.
            var waiting = depths.Where(d => !d.Key.EndsWith("-poison", StringComparison.Ordinal)).Sum(d => d.Value);
            empty = waiting == 0 ? empty + 1 : 0;
            if (empty >= 2)
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }

        return false;
    }

    /// <summary>
    /// Prints the growth of the GC heap and working set after warm-up: the mean of the last third
    /// of the samples against the mean of the first third after warm-up; met when within 10 %.
    /// </summary>
    public bool ReportMemory(TimeSpan warmUp)
    {
        var after = samples.Where(s => s.At >= warmUp).ToList();
        if (after.Count < 3)
        {
            Console.WriteLine("goal scale no memory growth: too few samples after warm-up; run longer");
            return false;
        }

        var third = after.Count / 3;
        double Mean(IEnumerable<ScaleSample> part, Func<ScaleSample, long> bytes) => part.Average(s => bytes(s)) / (1 << 20);
        var (heapEarly, heapLate) = (Mean(after.Take(third), s => s.GcHeap), Mean(after.TakeLast(third), s => s.GcHeap));
        var (setEarly, setLate) = (Mean(after.Take(third), s => s.WorkingSet), Mean(after.TakeLast(third), s => s.WorkingSet));
        var met = heapLate <= heapEarly * 1.1 && setLate <= setEarly * 1.1;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"goal scale no memory growth after warm-up ({warmUp.TotalSeconds:N0} s): figure GC heap {heapEarly:N0} → {heapLate:N0} MB, "
            + $"working set {setEarly:N0} → {setLate:N0} MB (mean of the first and last third of {after.Count} samples), "
            + $"reference ±10 %, ratio {heapLate / heapEarly:N2} (heap) {setLate / setEarly:N2} (set); {(met ? "met" : "MISSED")}"));
        return met;
    }

    private async Task SampleAsync()
    {
        using var process = Process.GetCurrentProcess();
        var depths = await DepthsAsync();
        var azurite = await roundTrip.OnceAsync(CancellationToken.None);
        var sample = new ScaleSample(clock.Elapsed, process.WorkingSet64, GC.GetGCMemoryInfo().HeapSizeBytes, depths, azurite);
        samples.Add(sample);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"t={sample.At.TotalSeconds,5:N0} s  working set {sample.WorkingSet / (1 << 20),5:N0} MB  "
            + $"GC heap {sample.GcHeap / (1 << 20),5:N0} MB  Azurite round trip {azurite * 1000,5:N0} ms  "
            + $"queues {LastDepths}"));
    }

    private async Task<Dictionary<string, int>> DepthsAsync()
    {
        var depths = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in StorageNames.Queues.All.SelectMany(q => new[] { q, StorageNames.Queues.PoisonOf(q) }))
        {
            var queue = host.Queue(name);
            depths[name] = await queue.ExistsAsync() ? (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
        }

        LastDepths = string.Join(" ", depths.Where(d => d.Value > 0 || !d.Key.EndsWith("-poison", StringComparison.Ordinal))
            .Select(d => $"{d.Key} {d.Value}"));
        return depths;
    }
}
