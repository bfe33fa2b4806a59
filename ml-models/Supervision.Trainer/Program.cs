using Supervision.Trainer;
using Supervision.Trainer.Evaluation;

// supervision-trainer train [--out DIR] [--seed N]
// supervision-trainer evaluate [--sets fpb,chnsenticorp,waimai,semeval] [--data DIR] [--models DIR] [--write]
const string Usage = """
    usage: supervision-trainer train [--out DIR] [--seed N]
           supervision-trainer evaluate [--sets fpb,chnsenticorp,waimai,semeval] [--data DIR] [--models DIR] [--write] [--show-errors N]
    """;
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine(Usage);
    return 0;
}

string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

var root = ModelPaths.FindRepositoryRoot(Directory.GetCurrentDirectory());
var models = Option("--models", Option("--out", ModelPaths.ModelsDirectory(root)));
switch (args[0])
{
    case "train":
        var seed = int.Parse(
            Option("--seed", ModelTrainers.DefaultSeed.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            System.Globalization.CultureInfo.InvariantCulture);
        var data = TrainingData.Load(TrainingData.DataDirectory(root));
        foreach (var card in new ModelTrainers(Console.Out).TrainAll(data, models, seed))
        {
            Console.WriteLine($"{card.Version}: " + string.Join(", ", card.Metrics.Values.Select(v => $"{v.Key} {v.Value:F3}")));
        }

        return 0;

    case "evaluate":
        var setsDirectory = Option("--data", ExternalSets.DefaultDirectory(root));
        if (!Directory.Exists(setsDirectory))
        {
            Console.Error.WriteLine(
                $"No evaluation sets at {setsDirectory} (expected shared/data/sentiment beside the checkout; pass --data DIR).");
            return 3;
        }

        var sets = Option("--sets", string.Join(',', ExternalSets.Names))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => ExternalSets.Load(name, setsDirectory))
            .ToList();
        var showErrors = int.Parse(Option("--show-errors", "0"), System.Globalization.CultureInfo.InvariantCulture);
        var rows = new Evaluator(models, ModelPaths.LexiconDirectory(root), Console.Out, showErrors).Evaluate(sets);
        Console.WriteLine(Evaluator.ToTable(rows));
        if (args.Contains("--write"))
        {
            Evaluator.Write(rows, models, setsDirectory);
            Console.WriteLine($"wrote {Path.Combine(models, "EVALUATION.md")}");
        }

        return 0;

    default:
        Console.Error.WriteLine(Usage);
        return 2;
}
