using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Supervision.Domain.Scoring;
using Supervision.Domain.Text;

namespace Supervision.Trainer.Evaluation;

/// <summary>An external labelled set: texts a model never saw, each marked adverse or not.</summary>
public sealed record ExternalSet(
    string Name, TextLanguage Language, string Description, IReadOnlyList<(string Text, bool IsAdverse)> Items);

/// <summary>
/// Readers for the evaluation sets kept beside the checkout in ../shared/data/sentiment. Their
/// licences forbid shipping them, so they are read in place and never copied or trained on.
/// </summary>
public static class ExternalSets
{
    public static IReadOnlyList<string> Names { get; } = ["fpb", "chnsenticorp", "waimai", "semeval"];

    /// <summary>
    /// Splits every set into two halves by a hash of each text, the same on every run. Whoever
    /// writes corpus texts may read the model's mistakes on the read half (<c>evaluate
    /// --show-errors</c> prints only those); the unread half is never printed, so its figures
    /// measure transfer to texts nobody has looked at while writing the corpus.
    /// </summary>
    public static bool InReadHalf(string text) => (SHA256.HashData(Encoding.UTF8.GetBytes(text))[0] & 1) == 0;

    /// <summary>The default folder: shared/data/sentiment beside the repository.</summary>
    public static string DefaultDirectory(string root) => Path.GetFullPath(Path.Combine(root, "..", "shared", "data", "sentiment"));

    public static ExternalSet Load(string name, string directory) => name switch
    {
        "fpb" => Fpb(Path.Combine(directory, "fpb", "Sentences_50Agree.txt")),
        "chnsenticorp" => ChineseReviews(
            "chnsenticorp",
            Path.Combine(directory, "chn", "ChnSentiCorp_htl_all.csv"),
            "ChnSentiCorp hotel reviews, negative vs positive"),
        "waimai" => ChineseReviews(
            "waimai", Path.Combine(directory, "chn", "waimai_10k.csv"), "waimai_10k food-delivery reviews, negative vs positive"),
        "semeval" => SemEval(Path.Combine(directory, "semeval2017-fiqa", "SemEval2017Task5Headlines.json")),
        _ => throw new ArgumentException($"unknown set '{name}'; known: {string.Join(", ", Names)}", nameof(name)),
    };

    /// <summary>Financial PhraseBank, sentences with at least 50% agreement: 'sentence@label', Latin-1; negative vs the rest.</summary>
    public static ExternalSet Fpb(string path)
    {
        var items = new List<(string, bool)>();
        foreach (var line in File.ReadLines(path, Encoding.Latin1))
        {
            var at = line.LastIndexOf('@');
            if (at <= 0)
            {
                continue;
            }

            items.Add((line[..at].Trim(), line[(at + 1)..].Trim() == "negative"));
        }

        return new ExternalSet(
            "fpb", TextLanguage.English, "Financial PhraseBank (Sentences_50Agree), negative vs neutral and positive", items);
    }

    /// <summary>SophonPlus review sets: 'label,review' with label 0 negative, 1 positive.</summary>
    public static ExternalSet ChineseReviews(string name, string path, string description)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        var items = new List<(string, bool)>();
        foreach (var record in Csv.Read(reader).Skip(1))
        {
            if (record.Fields.Count >= 2 && record.Fields[0] is "0" or "1" && !string.IsNullOrWhiteSpace(record.Fields[1]))
            {
                items.Add((record.Fields[1], record.Fields[0] == "0"));
            }
        }

        return new ExternalSet(name, TextLanguage.Chinese, description, items);
    }

    /// <summary>SemEval-2017 Task 5 headlines: sentiment in [-1, 1]; below zero is adverse.</summary>
    public static ExternalSet SemEval(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var items = document.RootElement.EnumerateArray()
            .Select(e => (Text: e.GetProperty("title").GetString() ?? string.Empty, IsAdverse: e.GetProperty("sentiment").GetDouble() < 0))
            .Where(e => e.Text.Length > 0)
            .ToList();
        return new ExternalSet("semeval", TextLanguage.English, "SemEval-2017 Task 5 headlines, sentiment below zero vs the rest", items);
    }
}
