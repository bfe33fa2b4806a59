using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Supervision.Benchmarks;

/// <summary>
/// Where a storage-bound run spends its wall time: listens to HttpClient's own request activities
/// (the "System.Net.Http" source, which every Azure SDK client goes through) and, for a window,
/// adds up the time during which at least one request of each kind was in flight. The time with
/// no request in flight is the caller's own work (parsing, hashing, JSON, waiting on locks): the
/// part of a pipeline that a raw writer of the same requests does not have.
/// </summary>
internal sealed class StorageRequestTimer : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<(DateTime Start, DateTime End, string Kind, string? Failure)> requests = new();
    private readonly Func<Activity, string?> classify;

    /// <param name="classify">The kind of a request (e.g. "queue"), or null to leave it out.</param>
    public StorageRequestTimer(Func<Activity, string?> classify)
    {
        this.classify = classify;
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "System.Net.Http",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Record,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose() => listener.Dispose();

    /// <summary>The Azurite service a request went to, by port: blob, queue or table (batches and scans apart).</summary>
    public static Func<Activity, string?> ByAzuritePort(int blobPort, int queuePort, int tablePort) => activity =>
    {
        var url = activity.GetTagItem("url.full") as string;
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        var method = activity.GetTagItem("http.request.method") as string ?? "?";
        return uri.Port == blobPort ? "blob"
            : uri.Port == queuePort ? "queue"
            : uri.Port != tablePort ? null
            : uri.AbsolutePath.Contains("$batch", StringComparison.Ordinal) ? "table batch"
            // A query by write time reads every row of the table on Azurite (the story index's refresh).
            : method == "GET" && uri.Query.Contains("Timestamp", StringComparison.Ordinal) ? "table scan by time"
            : method == "GET" ? "table query"
            : "table write";
    };

    /// <summary>Time in flight per kind within [from, to], each kind's overlapping requests counted once.</summary>
    public Breakdown Measure(DateTime from, DateTime to)
    {
        var within = requests.Where(r => r.End > from && r.Start < to)
            .Select(r => (Start: r.Start < from ? from : r.Start, End: r.End > to ? to : r.End, r.Kind, r.Failure))
            .ToList();
        var kinds = within.GroupBy(r => r.Kind)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new KindInFlight(
                g.Key, g.Count(), [.. g.Where(r => r.Failure is not null).Select(r => r.Failure!)], Union(g.Select(r => (r.Start, r.End)))))
            .ToList();
        return new Breakdown(to - from, Union(within.Select(r => (r.Start, r.End))), kinds);
    }

    private void Record(Activity activity)
    {
        if (classify(activity) is { } kind)
        {
            // A refused request (409 on a create-only write, a retried 5xx) still costs a round trip; it is counted apart.
            var failure = activity.GetTagItem("http.response.status_code") is int status
                ? status >= 400 ? status.ToString(CultureInfo.InvariantCulture) : null
                : activity.GetTagItem("error.type") as string ?? "no response";
            requests.Enqueue((activity.StartTimeUtc, activity.StartTimeUtc + activity.Duration, kind, failure));
        }
    }

    private static TimeSpan Union(IEnumerable<(DateTime Start, DateTime End)> intervals)
    {
        var total = TimeSpan.Zero;
        DateTime? start = null;
        var end = DateTime.MinValue;
        foreach (var (s, e) in intervals.OrderBy(i => i.Start))
        {
            if (start is null || s > end)
            {
                total += start is null ? TimeSpan.Zero : end - start.Value;
                start = s;
                end = e;
            }
            else if (e > end)
            {
                end = e;
            }
        }

        return start is null ? total : total + (end - start.Value);
    }

    /// <summary>One kind of request in a window: how many, why those that failed did (status or error), and time in flight.</summary>
    public sealed record KindInFlight(string Kind, int Count, IReadOnlyList<string> Failures, TimeSpan InFlight);

    /// <summary>A window's wall time, the time with any request in flight, and each kind's share.</summary>
    public sealed record Breakdown(TimeSpan Wall, TimeSpan InFlight, IReadOnlyList<KindInFlight> Kinds)
    {
        public TimeSpan NothingInFlight => Wall - InFlight;

        /// <summary>Several windows added up, kind by kind: steadier than any one of them on a busy machine.</summary>
        public static Breakdown Sum(IReadOnlyCollection<Breakdown> windows) => new(
            new TimeSpan(windows.Sum(w => w.Wall.Ticks)),
            new TimeSpan(windows.Sum(w => w.InFlight.Ticks)),
            [
                .. windows.SelectMany(w => w.Kinds)
                    .GroupBy(k => k.Kind)
                    .OrderBy(g => g.Key, StringComparer.Ordinal)
                    .Select(g => new KindInFlight(
                        g.Key, g.Sum(k => k.Count), [.. g.SelectMany(k => k.Failures)], new TimeSpan(g.Sum(k => k.InFlight.Ticks)))),
            ]);

        public override string ToString() => string.Create(
            CultureInfo.InvariantCulture,
            $"{Wall.TotalMilliseconds:N0} ms = {NothingInFlight.TotalMilliseconds:N0} ms with no storage request in flight "
            + $"+ {InFlight.TotalMilliseconds:N0} ms with some ({string.Join(", ", Kinds.Select(Describe))})");

        private static string Describe(KindInFlight kind) => string.Create(
            CultureInfo.InvariantCulture,
            $"{kind.Kind} {kind.InFlight.TotalMilliseconds:N0} ms over {kind.Count} requests"
            + $"{(kind.Failures.Count > 0 ? $" ({kind.Failures.Count} failed: {Reasons(kind.Failures)})" : "")}");

        private static string Reasons(IReadOnlyList<string> failures) =>
            string.Join(", ", failures.GroupBy(f => f).Select(g => $"{g.Key} ×{g.Count()}"));
    }
}
