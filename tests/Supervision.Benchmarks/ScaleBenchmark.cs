namespace Supervision.Benchmarks;

internal static class ScaleBenchmark
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(args.Length);
}
