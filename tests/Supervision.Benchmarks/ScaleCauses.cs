using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Storage;

namespace Supervision.Benchmarks;

/// <summary>
/// Measures, after the scale run and on its data, the steps that bound it: the PullFeeds tick's
/// read of every source's marker in turn, and a portrait's recomputation beside a raw read of the
/// same enterprise's signals partition (Azurite's table queries read every row of the table).
/// </summary>
internal static class ScaleCauses
{
    public static async Task ReportAsync(LiveHost host, IReadOnlyList<string> usccs)
    {
        var services = host.Services;
        var sources = await services.GetRequiredService<SourceRegistry>().ListAsync(CancellationToken.None);
        var cursors = services.GetRequiredService<SourceCursorStore>();
        var clock = Stopwatch.StartNew();
        foreach (var source in sources)
        {
            await cursors.LoadMarkerAsync(source.Definition.Id, CancellationToken.None);
        }

        var perSource = clock.Elapsed.TotalMilliseconds / Math.Max(1, sources.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cause, PullFeeds tick: reading the markers of {sources.Count:N0} sources one after another takes "
            + $"{clock.Elapsed.TotalSeconds:N1} s ({perSource:N1} ms each), before a due source is claimed and its pull sent"));

        // Source statistics are measured from each source's ledger partition; on Azurite a
        // partition query reads the whole table, so its cost grows with every item ever taken.
        var ledger = services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.SeenItems);
        var partitionReads = new List<double>();
        foreach (var source in sources.Take(20))
        {
            var key = TableExtensions.SafeKey(source.Definition.Id);
            clock.Restart();
            await foreach (var _ in ledger.QueryAsync<TableEntity>(e => e.PartitionKey == key))
            {
            }

            partitionReads.Add(clock.Elapsed.TotalSeconds);
        }

        var partitionRead = Figures.Percentile(partitionReads.Order().ToList(), 0.5);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cause, source statistics: one source's ledger partition read raw p50 {partitionRead * 1000:N0} ms; "
            + $"× {sources.Count:N0} sources = {partitionRead * sources.Count:N1} s for one refresh of every source, inside a tick"));

        var evidence = services.GetRequiredService<PortraitEvidence>();
        var signals = services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.Signals);
        var computes = new List<double>();
        var raws = new List<double>();
        foreach (var uscc in usccs)
        {
            clock.Restart();
            await evidence.ComputeAsync(uscc, null, CancellationToken.None);
            computes.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
            await foreach (var _ in signals.QueryAsync<TableEntity>(e => e.PartitionKey == uscc))
            {
            }

            raws.Add(clock.Elapsed.TotalSeconds);
        }

        var compute = Figures.Percentile(computes.Order().ToList(), 0.5);
        var raw = Figures.Percentile(raws.Order().ToList(), 0.5);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cause, portraits stage: recomputing one portrait (its evidence read) p50 {compute * 1000:N0} ms over {usccs.Count} "
            + $"enterprises, reference its signals partition read raw p50 {raw * 1000:N0} ms, ratio {compute / raw:N1}"));
    }
}
