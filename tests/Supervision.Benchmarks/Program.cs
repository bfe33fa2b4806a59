using Supervision.Benchmarks;

return args.FirstOrDefault() switch
{
    "ingestion" => await IngestionBenchmark.RunAsync(args.Skip(1).ToArray()),
    "latency" => await LatencyBenchmark.RunAsync(args.Skip(1).ToArray()),
    "names" => NameMatchingEvaluation.Run(),
    "outage" => await OutageDrill.RunAsync(args.Skip(1).ToArray()),
    "reviews" => await ReviewBenchmark.RunAsync(args.Skip(1).ToArray()),
    "scale" => await ScaleBenchmark.RunAsync(args.Skip(1).ToArray()),
    "scoring" => ScoringBenchmark.Run(args.Skip(1).ToArray()),
    "scoring-cold" => ScoringBenchmark.RunColdStart(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine(
        "usage: supervision-bench ingestion [--items N] [--rounds R]   "
        + "items/s for parse+normalise+dedup+link on one core; end to end into Azurite beside the raw ceiling, and the ratio\n"
        + "       supervision-bench latency [--rate 10] [--seconds 60]  "
        + "items arriving in feeds on the local host: arrival → signal, portrait, review, first alert p50/p95/max\n"
        + "       supervision-bench names                   "
        + "precision and recall of company-name matching on labelled pairs\n"
        + "       supervision-bench outage [--items 1000] [--outage-seconds 120] [--stop kill|term]  "
        + "storage outage drill: Azurite (not the host's) stopped mid-run and started again; every item's outcome, duplicates\n"
        + "       supervision-bench reviews [--count N] [--rate R[,R…]] [--echo N]  "
        + "N joint reviews pending at once on the local host; decision → measures applied p50/p95 per decision rate, "
        + "beside the engine's bare event round trip (N events per rate), and the ratio\n"
        + "       supervision-bench scale [--minutes 10] [--enterprises 100000] [--sources 1000] [--rate 100]  "
        + "memory, timer overruns, queue depths and drain, linker µs/item at 100k names\n"
        + "       supervision-bench scoring [--items N] [--cold-runs N] [--batch N] [--rounds R]  "
        + "cold start (median of N fresh processes), single-item p50/p99 and batch items/s on one core for the shipped models; "
        + "the shipped scorer beside bare ML.NET of the same shape, and the ratio");
    return 2;
}
