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
/// one read of every source's marker, a source's statistics from its counters beside a full
/// recount, and a portrait's recomputation beside a raw read of the
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
        var markers = await cursors.LoadMarkersAsync(CancellationToken.None);
        var allMarkers = clock.Elapsed.TotalSeconds;
        clock.Restart();
        foreach (var source in sources.Take(100))
        {
            await cursors.LoadMarkerAsync(source.Definition.Id, CancellationToken.None);
        }

        var perMarker = clock.Elapsed.TotalSeconds / Math.Max(1, Math.Min(100, sources.Count));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cause, PullFeeds tick: the one query for all {markers.Count:N0} markers takes {allMarkers * 1000:N0} ms; "
            + $"reference one marker read alone {perMarker * 1000:N1} ms, "
            + $"× {sources.Count:N0} sources = {perMarker * sources.Count:N1} s"));

        // Source statistics are measured on the MeasureSources timer from each source's counter
        // rows; the full recount (every ledger row of the source) is the reference.
        var statistics = services.GetRequiredService<SourceStatisticsReader>();
        var counterReads = new List<double>();
        var recounts = new List<double>();
        foreach (var source in sources.Take(20))
        {
            clock.Restart();
            await statistics.MeasureAsync(source.Definition.Id, CancellationToken.None);
            counterReads.Add(clock.Elapsed.TotalSeconds);
            clock.Restart();
            await statistics.RecountAsync(source.Definition.Id, CancellationToken.None);
            recounts.Add(clock.Elapsed.TotalSeconds);
        }

        var counterRead = Figures.Percentile(counterReads.Order().ToList(), 0.5);
        var recount = Figures.Percentile(recounts.Order().ToList(), 0.5);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cause, source statistics (MeasureSources timer, not the tick): one source from its counters p50 "
            + $"{counterRead * 1000:N1} ms, reference a full recount of its ledger p50 {recount * 1000:N0} ms"));

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
