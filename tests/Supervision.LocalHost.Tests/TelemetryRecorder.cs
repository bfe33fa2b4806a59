using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.LocalHost.Tests;

/// <summary>Listens to Supervision's spans and counters while a test runs.</summary>
public sealed class TelemetryRecorder : IDisposable
{
    private readonly ActivityListener spans;
    private readonly MeterListener meters = new();
    private readonly ConcurrentQueue<(string Instrument, long Value, KeyValuePair<string, object?>[] Tags)> measurements = new();

    public TelemetryRecorder()
    {
        spans = new ActivityListener
        {
            ShouldListenTo = source => source.Name == SupervisionTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Spans.Enqueue,
        };
        ActivitySource.AddActivityListener(spans);

        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SupervisionTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>(
            (instrument, value, tags, _) => measurements.Enqueue((instrument.Name, value, tags.ToArray())));
        meters.Start();
    }

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public long Sum(string instrument, string? tag = null, string? value = null) => measurements
        .Where(m => m.Instrument == instrument && (tag is null || m.Tags.Any(t => t.Key == tag && Equals(t.Value, value))))
        .Sum(m => m.Value);

    public void Dispose()
    {
        spans.Dispose();
        meters.Dispose();
    }
}
