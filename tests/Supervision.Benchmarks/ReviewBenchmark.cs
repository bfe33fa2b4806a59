using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Azure.Data.Tables;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.LocalHost;
using Supervision.LocalHost.Identity;
using Supervision.LocalHost.Tooling;
using Supervision.Trainer;

namespace Supervision.Benchmarks;

/// <summary>
/// Many joint reviews pending at once on the local host (Durable on Azurite, the HTTP API):
/// opens N cases of three departments, waits until every one is pending, then has every
/// department approve over HTTP and measures, per case, the time from sending its last decision
/// to its measures row being written (the row's server timestamp). Prints p50/p95/max per
/// decision rate. Beside each rate, the reference: the same engine's bare event round trip
/// (<see cref="DurableEventReference"/>) at that rate, and the ratio of the two. <c>--durable
/// InMemory</c> runs the local host's Durable engine in memory, to tell the engine's own latency
/// from the storage emulator's.
/// </summary>
internal static class ReviewBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Option(string name, string fallback) =>
            Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        // 200 by default keeps a run within a few minutes; --count 1000 is the house issue's scenario.
        var count = int.Parse(Option("--count", "200"), CultureInfo.InvariantCulture);
        var rates = Option("--rate", "20").Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToList();
        var root = ModelPaths.FindRepositoryRoot();
        await using var azurite = await AzuriteProcess.StartOnFreePortsAsync(root, TextWriter.Null);
        var signingKey = LocalIssuer.NewSigningKey();
        var port = AzuriteProcess.FreePort();
        var settings = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["FEED_PULL_SCHEDULE"] = "0 0 0 1 1 *",
            ["INBOX_SCAN_SCHEDULE"] = "0 0 0 1 1 *",
            ["PORTRAIT_REASSESS_SCHEDULE"] = "0 5 0 * * *",
            ["SOURCE_MEASURE_SCHEDULE"] = "0 */10 * * * *",
            ["Scoring:ModelDirectory"] = ModelPaths.EnsureModels(root, TextWriter.Null),
            [LocalIssuer.SigningKeySetting] = signingKey,
            ["Telemetry:Console"] = "false",
            ["Durable:Backend"] = Option("--durable", "AzureStorage"),
        };
        var app = LocalHostApp.Build(
            new LocalHostSettings(
                settings,
                port,
                AzuriteProcess.FreePort(),
                "bench" + Guid.NewGuid().ToString("N")[..8],
                HostJson.ReadQueueSettings(Path.Combine(root, "host.json")),
                Encoding.UTF8.GetBytes("unused")),
            logging =>
            {
                logging.SetMinimumLevel(LogLevel.Error);

                // The logging builder is the one hook Build offers into the host's services.
                DurableEventReference.Register(logging.Services);
            });
        await app.StartAsync();
        try
        {
            var echoes = int.Parse(Option("--echo", "100"), CultureInfo.InvariantCulture);
            return await MeasureAsync(app.Services, port, signingKey, count, rates, echoes);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<int> MeasureAsync(
        IServiceProvider services, int port, string signingKey, int count, List<double> rates, int echoes)
    {
        var durable = services.GetRequiredService<DurableTaskClient>();
        var storage = services.GetRequiredService<SupervisionStorage>();
        var memorandum = MemorandumCatalog.LoadEmbedded().Get("JP-DISHONEST-2016");
        var timings = new ReviewTimings(TimeSpan.FromHours(1), TimeSpan.FromHours(1), 2);
        var cases = Enumerable.Range(0, count)
            .Select(i => new ReviewRequest(
                $"bench-{i:D5}",
                Uscc.WithCheckCharacter($"91330100MB{i:D7}"),
                $"Bench enterprise {i}",
                memorandum.Id,
                memorandum.Kind,
                CreditGrade.D,
                40,
                [],
                memorandum.Departments,
                TimeSpan.FromHours(1),
                DateTimeOffset.UtcNow,
                null,
                timings,
                Revision: ReviewRequest.CurrentRevision))
            .ToList();

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (request, ct) =>
            await durable.ScheduleNewOrchestrationInstanceAsync(
                nameof(JointReviewOrchestrator),
                request,
                new StartOrchestrationOptions(request.CaseId),
                ct));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"reviews benchmark: {count} cases of {memorandum.Departments.Count} departments "
            + $"scheduled in {clock.Elapsed.TotalSeconds:N1} s"));

        // The reference's instances, one set per decision rate, started with the cases so they wait
        // alongside them; they do not count as cases or department reviews.
        var echoIds = new List<List<string>>();
        for (var r = 0; r < rates.Count; r++)
        {
            echoIds.Add(await DurableEventReference.StartAsync(durable, r.ToString(CultureInfo.InvariantCulture), echoes));
        }

        var caseStore = services.GetRequiredService<CaseStore>();
        while ((await caseStore.ListAsync(CaseStatus.Pending, CancellationToken.None)).Count < count)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(20))
            {
                Console.WriteLine("not every case became pending within 20 minutes");
                return 1;
            }

            await Task.Delay(1000);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"all {count} pending after {clock.Elapsed.TotalSeconds:N1} s"));

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        // One token a department, as a department's system would reuse its token until it expires.
        var issuer = new LocalIssuer(signingKey);
        var tokens = memorandum.Departments.ToDictionary(
            d => d.Department,
            d => issuer.IssueForUser(
                $"{d.Department}-bench", [Roles.ReviewerOf(d.Department)], TimeSpan.FromHours(1), DateTimeOffset.UtcNow));
        var refused = 0;
        async Task DecideAsync(ReviewRequest request, string department, CancellationToken ct)
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, $"api/reviews/{request.CaseId}/departments/{department}/decision")
            {
                Content = new StringContent("{\"verdict\":\"approve\"}", Encoding.UTF8, "application/json"),
            };
            message.Headers.Authorization = new AuthenticationHeaderValue(
                "Bearer",
                tokens[department]);
            using var response = await http.SendAsync(message, ct);
            if ((int)response.StatusCode != 202)
            {
                Interlocked.Increment(ref refused);
            }
        }

        // Two of three departments decide on every case (not measured), then the engine settles.
        var departments = memorandum.Departments.Select(d => d.Department).ToList();
        clock.Restart();
        await Parallel.ForEachAsync(cases, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (request, ct) =>
        {
            foreach (var department in departments.SkipLast(1))
            {
                await DecideAsync(request, department, ct);
            }
        });
        await SettledAsync(durable, count * (departments.Count - 1), TimeSpan.FromMinutes(20));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{count * (departments.Count - 1)} decisions taken and settled in {clock.Elapsed.TotalSeconds:N1} s; "
            + $"{count} reviews wait for their last department"));

        // The last department decides case after case at a steady rate, each answer timed. With
        // several rates (--rate 2,5,20) the cases are split among them, in the order given, and
        // each slice is measured on its own; the first runs while the most reviews are pending.
        var slices = rates
            .Select((r, i) => (
                Rate: r,
                Cases: cases
                    .Skip(i * cases.Count / rates.Count)
                    .Take(((i + 1) * cases.Count / rates.Count) - (i * cases.Count / rates.Count))
                    .ToList()))
            .ToList();
        if (!await DurableEventReference.WaitRunningAsync(durable, [.. echoIds.SelectMany(e => e)], TimeSpan.FromMinutes(10)))
        {
            Console.WriteLine("the reference's echo orchestrations did not all start within 10 minutes");
            return 1;
        }

        var allApplied = true;
        var summaries = new List<string>();
        for (var s = 0; s < slices.Count; s++)
        {
            var (rate, slice) = slices[s];

            // The reference first, at the same rate, while the slice's reviews still wait. Both start
            // from an idle engine: settled department reviews still complete into their parents for a
            // while, and events raised meanwhile queued behind that backlog (p50 1.2 s against 0.04 s).
            await QuietAsync(durable, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));
            var echo = await DurableEventReference.MeasureAsync(durable, echoIds[s], rate, TimeSpan.FromMinutes(10));
            await QuietAsync(durable, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"at {rate}/s: engine event round trip (raise → orchestration completed) over {echo.Count} of {echoIds[s].Count}: "
                + $"{Describe(echo)}"));
            var (applied, latencies) = await MeasureSliceAsync(storage, slice, rate, departments[^1], DecideAsync, () => refused);
            allApplied &= applied;
            if (echo.Count > 0 && latencies.Count > 0)
            {
                var (p50, p95) = (Percentile(latencies, 0.5), Percentile(latencies, 0.95));
                var (echo50, echo95) = (Percentile(echo, 0.5), Percentile(echo, 0.95));
                summaries.Add(string.Create(CultureInfo.InvariantCulture,
                    $"reviews at {rate}/s: decision → measures p50 {p50:N3} s, p95 {p95:N3} s; "
                    + $"engine event round trip p50 {echo50:N3} s, p95 {echo95:N3} s; "
                    + $"ratio p50 {p50 / echo50:F1}, p95 {p95 / echo95:F1} ({latencies.Count} decisions, {echo.Count} events)"));
            }
        }

        summaries.ForEach(Console.WriteLine);
        return allApplied ? 0 : 1;
    }

    private static async Task<(bool AllApplied, List<double> Latencies)> MeasureSliceAsync(
        SupervisionStorage storage,
        List<ReviewRequest> cases,
        double rate,
        string department,
        Func<ReviewRequest, string, CancellationToken, Task> decide,
        Func<int> refused)
    {
        var count = cases.Count;
        var lastDecision = new ConcurrentDictionary<string, DateTimeOffset>();
        var interval = TimeSpan.FromSeconds(1.0 / rate);
        var clock = Stopwatch.StartNew();
        var posts = new List<Task>();
        for (var i = 0; i < cases.Count; i++)
        {
            var request = cases[i];
            var due = interval * i;
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            posts.Add(Task.Run(async () =>
            {
                // Timed from the moment the decision is sent: the API's own work counts too.
                lastDecision[request.CaseId] = DateTimeOffset.UtcNow;
                await decide(request, department, CancellationToken.None);
            }));
        }

        await Task.WhenAll(posts);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{count} final decisions posted at {rate}/s in {clock.Elapsed.TotalSeconds:N1} s "
            + $"({refused()} of all decisions so far not accepted)"));

        var wanted = cases.Select(c => c.CaseId).ToHashSet(StringComparer.Ordinal);
        var applied = new Dictionary<string, DateTimeOffset>();
        var measures = storage.Table(StorageNames.Tables.Measures);
        while (applied.Count < count && clock.Elapsed < TimeSpan.FromMinutes(20))
        {
            await foreach (var row in measures.QueryAsync<TableEntity>(select: ["RowKey", "Timestamp"]))
            {
                var caseId = row.RowKey.Split('|')[0];
                if (wanted.Contains(caseId)
                    && row.Timestamp is { } written
                    && (!applied.TryGetValue(caseId, out var seen) || written < seen))
                {
                    applied[caseId] = written;
                }
            }

            await Task.Delay(1000);
        }

        var latencies = applied
            .Where(a => lastDecision.ContainsKey(a.Key))
            .Select(a => (a.Value - lastDecision[a.Key]).TotalSeconds)
            .Order()
            .ToList();
        if (latencies.Count == 0)
        {
            Console.WriteLine("no measures were applied");
            return (false, latencies);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"at {rate}/s: decision → measures applied over {latencies.Count} of {count} cases: {Describe(latencies)} "
            + $"(all applied {clock.Elapsed.TotalSeconds:N1} s after the first decision was posted)"));
        return (applied.Count == count, latencies);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Describe(List<double> sorted) => sorted.Count == 0
        ? "none completed"
        : string.Create(CultureInfo.InvariantCulture,
            $"min {sorted[0]:N3} s, p50 {Percentile(sorted, 0.5):N3} s, p95 {Percentile(sorted, 0.95):N3} s, max {sorted[^1]:N3} s");

    /// <summary>Waits until no review instance has been updated for <paramref name="idle"/> (or the limit passes).</summary>
    private static async Task QuietAsync(DurableTaskClient durable, TimeSpan idle, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var query = new OrchestrationQuery { InstanceIdPrefix = "bench-", PageSize = 1000 };
        while (clock.Elapsed < limit)
        {
            var last = DateTimeOffset.MinValue;
            await foreach (var instance in durable.GetAllInstancesAsync(query))
            {
                last = instance.LastUpdatedAt > last ? instance.LastUpdatedAt : last;
            }

            if (DateTimeOffset.UtcNow - last >= idle)
            {
                return;
            }

            await Task.Delay(500);
        }
    }

    /// <summary>
    /// Waits until the given number of department reviews have completed (their decisions processed by the engine).
    /// </summary>
    private static async Task SettledAsync(DurableTaskClient durable, int departmentReviews, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        var query = new OrchestrationQuery
        {
            Statuses = [OrchestrationRuntimeStatus.Completed],
            InstanceIdPrefix = "bench-",
            PageSize = 1000,
        };
        while (clock.Elapsed < limit)
        {
            var completed = 0;
            await foreach (var instance in durable.GetAllInstancesAsync(query))
            {
                completed += instance.Name == nameof(DepartmentReviewOrchestrator) ? 1 : 0;
            }

            if (completed >= departmentReviews)
            {
                return;
            }

            await Task.Delay(2000);
        }
    }
}
