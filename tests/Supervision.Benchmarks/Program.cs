using Supervision.Benchmarks;

return args.FirstOrDefault() switch
{
    "ingestion" => await IngestionBenchmark.RunAsync(args.Skip(1).ToArray()),
    "names" => NameMatchingEvaluation.Run(),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        usage: supervision-bench ingestion [--items N]   items/s for parse+normalise+dedup+link on one core, and end to end into Azurite
               supervision-bench names                   precision and recall of company-name matching on labelled pairs
        """);
    return 2;
}
