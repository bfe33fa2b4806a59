using Supervision.Trainer;

// supervision-trainer train [--data FILE] [--out DIR] [--seed N]
if (args.Length == 0 || args[0] is "-h" or "--help" || args[0] != "train")
{
    Console.Error.WriteLine("usage: supervision-trainer train [--data FILE] [--out DIR] [--seed N]");
    return args.Length == 0 || args[0] is "-h" or "--help" ? 0 : 2;
}

string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

var root = ModelPaths.FindRepositoryRoot(Directory.GetCurrentDirectory());
var data = Option("--data", ModelPaths.SentimentData(root));
var output = Option("--out", ModelPaths.SentimentModelDirectory(root));
var seed = int.Parse(Option("--seed", SentimentTrainer.DefaultSeed.ToString(System.Globalization.CultureInfo.InvariantCulture)), System.Globalization.CultureInfo.InvariantCulture);

var card = new SentimentTrainer(Console.Out).Train(data, output, seed);
Console.WriteLine($"{card.Name} {card.Version}: AUC {card.Metrics.Auc:F3}, accuracy {card.Metrics.Accuracy:F3}, F1 {card.Metrics.F1:F3}");
return 0;
