using System.Diagnostics;
using System.Globalization;
using Supervision.Infrastructure.Scoring;

namespace Supervision.Benchmarks;

/// <summary>
/// The shipped scorer beside bare ML.NET of the same shape (<see cref="BareScorer"/>), in the same
/// process on the same core and texts, in batches of the size the scoring stage receives (a queue
/// message carries at most 32 items). Rounds alternate the two so drift on a shared machine falls
/// on both; each figure is the median round. The shipped scorer without explanations is measured
/// too, so a shortfall can be put down to explanations or to the rest.
/// </summary>
internal static class ScoringReference
{
    private const double Goal = 0.80;

    public static void Compare(
        List<string> texts, int batchSize, int rounds, BareScorer bare, MlNetTextScorer shipped, MlNetTextScorer unexplained)
    {
        var batches = texts.Chunk(batchSize).ToList();
        (string Name, Action<string[]> Score)[] contenders =
        [
            ("bare ML.NET", batch => bare.ScoreBatch(batch)),
            ("shipped", batch => shipped.ScoreBatch(batch)),
            ("shipped without explanations", batch => unexplained.ScoreBatch(batch)),
        ];

        // Both answer the same: the bare chains are the shipped models refitted on the same rows.
        var sample = texts.Take(1000).ToList();
        var (probabilities, _) = bare.ScoreBatch(sample);
        var scores = shipped.ScoreBatch(sample);
        var largest = sample.Select((_, i) => Math.Abs(probabilities[i] - scores[i].NegativeProbability)).Max();
        var disagree = sample.Where((_, i) => probabilities[i] >= 0.5 != scores[i].NegativeProbability >= 0.5).Count();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bare against shipped on {sample.Count} texts: largest probability difference {largest:F4}, {disagree} verdicts differ"));

        foreach (var (_, score) in contenders)
        {
            foreach (var batch in batches.Take(2000 / batchSize))
            {
                score(batch);
            }
        }

        var rates = contenders.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            // The order turns each round, so no contender always runs first (or last) on a drifting machine.
            for (var k = 0; k < contenders.Length; k++)
            {
                var c = (k + round) % contenders.Length;
                var clock = Stopwatch.StartNew();
                foreach (var batch in batches)
                {
                    contenders[c].Score(batch);
                }

                rates[c].Add(texts.Count / clock.Elapsed.TotalSeconds);
            }
        }

        var medians = rates.Select(r => r.Order().ElementAt(r.Count / 2)).ToArray();
        for (var c = 0; c < contenders.Length; c++)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {contenders[c].Name}, batches of {batchSize}: {medians[c]:N0} items/s on one core "
                + $"(rounds: {string.Join(", ", rates[c].Select(r => r.ToString("N0", CultureInfo.InvariantCulture)))})"));
        }

        // Time per item, split: the bare chains; what the shipped scorer adds besides explanations; explanations.
        var bareMicros = 1e6 / medians[0];
        var unexplainedMicros = 1e6 / medians[2];
        var shippedMicros = 1e6 / medians[1];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  per item: bare chains {bareMicros:N1} µs; "
            + $"shipped {shippedMicros:N1} µs = {unexplainedMicros:N1} µs without explanations "
            + $"({unexplainedMicros - bareMicros:+0.0;-0.0} µs over bare: files, versions, composed scores) "
            + $"{shippedMicros - unexplainedMicros:+0.0;-0.0} µs of explanations (top n-grams of each text)"));
        var ratio = medians[1] / medians[0];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"scoring: shipped {medians[1]:N0} items/s, bare ML.NET {medians[0]:N0} items/s, ratio {ratio:F2} "
            + $"(goal ≥ {Goal:F2}{(ratio >= Goal ? ", met" : ", missed")}; one core, batches of {batchSize}, median of {rounds} rounds "
            + $"of {texts.Count} texts)"));
    }
}
