using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Options;
using Supervision.Domain.Scoring;
using Supervision.Infrastructure.Scoring;
using Supervision.Trainer;
using Supervision.Trainer.Evaluation;

namespace Supervision.Benchmarks;

/// <summary>
/// How fast the shipped models score: cold start (loading the three models and scoring a first
/// text, as a host does when it starts), single-item latency through the engine pool, and batch
/// throughput with the process pinned to one core. Texts are real when the evaluation sets sit
/// beside the checkout (FPB sentences and ChnSentiCorp reviews, half each), else the corpus.
/// </summary>
internal static class ScoringBenchmark
{
    public static int Run(string[] args)
    {
        var items = int.Parse(Option(args, "--items", "40000"), CultureInfo.InvariantCulture);
        var root = ModelPaths.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var models = ModelPaths.EnsureModels(root, Console.Out);
        var (texts, origin) = Texts(root, items);
        var chinese = texts.Count(t => LanguageDetector.Detect(t) == TextLanguage.Chinese);
        Console.WriteLine(
            $"scoring benchmark: {texts.Count} texts ({origin}), {chinese} Chinese, mean {texts.Average(t => t.Length):F0} chars");

        // Cold start as a host sees it: nothing of ML.NET has run in this process yet. One process
        // gives one sample, and on a shared machine one sample swings by a tenth of a second, so
        // more come from fresh child processes (before this one is held to a core, which they
        // would inherit).
        var (scorer, cold) = ColdStart(models, texts[0]);
        var coldRuns = int.Parse(Option(args, "--cold-runs", "5"), CultureInfo.InvariantCulture);
        double[] samples = [cold, .. Enumerable.Range(1, Math.Max(0, coldRuns - 1)).Select(_ => ColdStartInChildProcess())];
        Array.Sort(samples);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"cold start (load 3 models side by side + first score, {Environment.ProcessorCount} cores), {samples.Length} fresh processes: "
            + $"median {Percentile(samples, 0.5):F3} s, min {samples[0]:F3} s, max {samples[^1]:F3} s"));

        // The reference, trained before the process is held to one core (training is not measured).
        var training = Stopwatch.StartNew();
        var reference = BareScorer.Train(TrainingData.Load(TrainingData.DataDirectory(root)));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bare ML.NET reference trained in {training.Elapsed.TotalSeconds:N1} s: "
            + $"features en {reference.FeaturesOf(TextLanguage.English):N0} / zh {reference.FeaturesOf(TextLanguage.Chinese):N0}, "
            + $"shipped en {ShippedFeatures(models, ModelContract.EnglishPolarity):N0} "
            + $"/ zh {ShippedFeatures(models, ModelContract.ChinesePolarity):N0}"));

        // From here on one core: the figures are per core, whatever the machine has.
        if (OperatingSystem.IsLinux() || OperatingSystem.IsWindows())
        {
            Process.GetCurrentProcess().ProcessorAffinity = 1;
        }

        // Single items through the engine pool, after a warm-up.
        foreach (var text in texts.Take(2000))
        {
            scorer.Score(text);
        }

        var latencies = new double[Math.Min(10_000, texts.Count)];
        for (var i = 0; i < latencies.Length; i++)
        {
            var started = Stopwatch.GetTimestamp();
            scorer.Score(texts[i]);
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(latencies);
        Console.WriteLine(
            $"single item, with category and explanation ({latencies.Length} items): "
            + $"p50 {Percentile(latencies, 0.50):F3} ms, p99 {Percentile(latencies, 0.99):F3} ms");

        var explained = new MlNetTextScorer(Options.Create(new ScoringOptions { ModelDirectory = models }));
        var unexplained = new MlNetTextScorer(Options.Create(new ScoringOptions { ModelDirectory = models, ExplanationSize = 0 }));
        (string, MlNetTextScorer)[] batchScorers =
            [("batch, with category and explanation", explained), ("batch, with category, no explanation", unexplained)];
        foreach (var (name, batchScorer) in batchScorers)
        {
            batchScorer.ScoreBatch([.. texts.Take(2000)]);
            var watch = Stopwatch.StartNew();
            for (var start = 0; start < texts.Count; start += 5000)
            {
                batchScorer.ScoreBatch([.. texts.Skip(start).Take(5000)]);
            }

            watch.Stop();
            Console.WriteLine($"{name}: {texts.Count / watch.Elapsed.TotalSeconds:N0} items/s on one core");
        }

        // Polarity alone, as the models issue's goal states it: both languages, no per-item category engine.
        var set = unexplained.Current;
        var polarityWatch = Stopwatch.StartNew();
        foreach (var group in texts.GroupBy(t => LanguageDetector.Detect(t)))
        {
            var batch = group.ToList();
            set.PolarityFor(group.Key).ScoreBatch(batch, new double[batch.Count], null, 0);
        }

        polarityWatch.Stop();
        Console.WriteLine(
            $"batch, polarity only (both languages): {texts.Count / polarityWatch.Elapsed.TotalSeconds:N0} items/s on one core");

        var batchSize = int.Parse(Option(args, "--batch", "32"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(Option(args, "--rounds", "3"), CultureInfo.InvariantCulture);
        ScoringReference.Compare(texts, batchSize, rounds, reference, explained, unexplained);
        return 0;
    }

    private static int ShippedFeatures(string models, string name)
    {
        var ml = new Microsoft.ML.MLContext(0);
        var model = ml.Model.Load(Path.Combine(models, name, ModelContract.ModelFileName), out var schema);
        return (model.GetOutputSchema(schema)[ModelContract.FeaturesColumn].Type as Microsoft.ML.Data.VectorDataViewType)?.Size ?? 0;
    }

    /// <summary>The hidden 'scoring-cold' command: one cold start in this fresh process, printed in seconds.</summary>
    public static int RunColdStart()
    {
        var root = ModelPaths.FindRepositoryRoot(Directory.GetCurrentDirectory());
        var models = ModelPaths.EnsureModels(root, TextWriter.Null);
        var (texts, _) = Texts(root, 1);
        Console.WriteLine(ColdStart(models, texts[0]).Seconds.ToString("R", CultureInfo.InvariantCulture));
        return 0;
    }

    private static (MlNetTextScorer Scorer, double Seconds) ColdStart(string models, string firstText)
    {
        var watch = Stopwatch.StartNew();
        var scorer = new MlNetTextScorer(Options.Create(new ScoringOptions { ModelDirectory = models }));
        scorer.Score(firstText);
        return (scorer, watch.Elapsed.TotalSeconds);
    }

    private static double ColdStartInChildProcess()
    {
        // Under 'dotnet run' or a published apphost the process path is this program; under
        // 'dotnet supervision-bench.dll' it is dotnet, which needs the assembly named first.
        var path = Environment.ProcessPath ?? throw new InvalidOperationException("no process path to start a fresh process from");
        var start = new ProcessStartInfo(path) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(path) == "dotnet")
        {
            start.ArgumentList.Add(typeof(ScoringBenchmark).Assembly.Location);
        }

        start.ArgumentList.Add("scoring-cold");
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"could not start {path}");
        var output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        return child.ExitCode == 0 && double.TryParse(output.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : throw new InvalidOperationException($"the cold-start child exited {child.ExitCode}: {output}");
    }

    private static (List<string> Texts, string Origin) Texts(string root, int count)
    {
        var shared = ExternalSets.DefaultDirectory(root);
        List<string> pool;
        string origin;
        if (Directory.Exists(shared))
        {
            var english = ExternalSets.Load("fpb", shared).Items.Select(i => i.Text);
            var chinese = ExternalSets.Load("chnsenticorp", shared).Items.Select(i => i.Text);
            pool = [.. english.Zip(chinese).SelectMany(p => new[] { p.First, p.Second })];
            origin = "FPB sentences and ChnSentiCorp reviews, alternating";
        }
        else
        {
            pool = [.. TrainingData.Load(TrainingData.DataDirectory(root)).Rows.Where(r => r.Category is not null).Select(r => r.Text)];
            origin = "the training corpus (no evaluation sets beside the checkout)";
        }

        return ([.. Enumerable.Range(0, count).Select(i => pool[i % pool.Count])], origin);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
