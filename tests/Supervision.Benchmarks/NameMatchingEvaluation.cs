using System.Globalization;
using System.Text.Json;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Text;
using Supervision.Trainer;

namespace Supervision.Benchmarks;

/// <summary>
/// Measures <see cref="NameMatcher"/> on labelled pairs: OpenSanctions' nomenklatura company and
/// organisation cases (match / no match), Chinese legal-form variants of real company names
/// (same company written with another legal form, bracketed region or full-width characters,
/// against different companies with the same legal form), and English legal-form variants of
/// the organisation names on China's counter-sanction lists. Prints precision and recall.
/// </summary>
internal static class NameMatchingEvaluation
{
    public static int Run()
    {
        var root = ModelPaths.FindRepositoryRoot();
        var shared = Path.GetFullPath(Path.Combine(root, "..", "shared", "data"));
        Console.WriteLine($"name matching at threshold {NameMatcher.MatchThreshold}");
        Report(
            "nomenklatura logic-v2 company/organisation cases",
            Nomenklatura(Path.Combine(shared, "names", "nomenklatura_logic_v2_cases.json")));
        Report("Chinese legal-form variants of real company names", ChineseVariants(root, shared));
        Report(
            "English legal-form variants (counter-sanction lists)",
            EnglishVariants(Path.Combine(shared, "names", "en_zh_company_name_pairs.csv")));
        return 0;
    }

    private static void Report(string name, List<(string Left, string Right, bool Same)> pairs)
    {
        if (pairs.Count == 0)
        {
            Console.WriteLine($"{name}: no data (is ../shared/data present?)");
            return;
        }

        int tp = 0, fp = 0, fn = 0, tn = 0;
        var misses = new List<string>();
        foreach (var (left, right, same) in pairs)
        {
            var match = NameMatcher.Compare(left, right).IsMatch;
            (tp, fp, fn, tn) = (match, same) switch
            {
                (true, true) => (tp + 1, fp, fn, tn),
                (true, false) => (tp, fp + 1, fn, tn),
                (false, true) => (tp, fp, fn + 1, tn),
                _ => (tp, fp, fn, tn + 1),
            };
            if (match != same && misses.Count < 5)
            {
                misses.Add(
                    $"    {(same ? "missed" : "false match")}: \"{left}\" vs \"{right}\" ({NameMatcher.Compare(left, right).Score:0.00})");
            }
        }

        var precision = tp + fp == 0 ? 1 : (double)tp / (tp + fp);
        var recall = tp + fn == 0 ? 1 : (double)tp / (tp + fn);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: {pairs.Count} pairs ({pairs.Count(p => p.Same)} same), precision {precision:0.000}, recall {recall:0.000} "
            + $"(tp {tp}, fp {fp}, fn {fn}, tn {tn})"));
        misses.ForEach(Console.WriteLine);
    }

    private static List<(string, string, bool)> Nomenklatura(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        return document.RootElement.EnumerateArray()
            .Where(c => c.GetProperty("schema").GetString() is "Company" or "Organization")
            .Where(c => c.GetProperty("query").TryGetProperty("name", out _) && c.GetProperty("result").TryGetProperty("name", out _))
            .Select(c => (
                c.GetProperty("query").GetProperty("name").GetString()!,
                c.GetProperty("result").GetProperty("name").GetString()!,
                c.GetProperty("matches").GetBoolean()))
            .ToList();
    }

    private static List<(string, string, bool)> ChineseVariants(string root, string shared)
    {
        var names = new List<string>();
        string[] files =
        [
            Path.Combine(root, "tests", "fixtures", "uscc", "uscc_cases.csv"),
            Path.Combine(shared, "uscc", "uscc_from_registry_samples.csv"),
        ];
        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                continue;
            }

            using var reader = new StreamReader(file);
            var records = Csv.Read(reader).ToList();
            var column = records[0].Fields.ToList().IndexOf("company");
            names.AddRange(records.Skip(1).Select(r => r.Fields[column]).Where(n => n.EndsWith("公司", StringComparison.Ordinal)));
        }

        names = names.Distinct().ToList();
        var pairs = new List<(string, string, bool)>();
        foreach (var name in names)
        {
            var core = NameNormaliser.Analyse(name).Normalised;
            pairs.Add((name, core + "股份有限公司", true));
            pairs.Add((name, core + "有限责任公司", true));
            pairs.Add((name, ToFullWidth(core) + "（中国）有限公司", true));
            pairs.Add((name, core, true));
        }

        for (var i = 0; i < names.Count; i++)
        {
            for (var j = i + 1; j < names.Count; j++)
            {
                pairs.Add((names[i], names[j], false));
            }
        }

        return pairs;
    }

    private static List<(string, string, bool)> EnglishVariants(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var reader = new StreamReader(path);
        var names = Csv.Read(reader).Skip(1).Select(r => r.Fields[1].Trim()).Where(n => n.Length > 0).Distinct().ToList();
        string[] forms = ["Inc.", "Co., Ltd.", "Corporation", "LLC", "Limited"];
        var pairs = new List<(string, string, bool)>();
        for (var i = 0; i < names.Count; i++)
        {
            pairs.Add((names[i], $"{names[i].ToUpperInvariant()} {forms[i % forms.Length]}", true));
            pairs.Add((names[i], names[(i * 7 + 3) % names.Count], false));
        }

        return pairs.Where(p => p.Item1 != p.Item2).ToList();
    }

    private static string ToFullWidth(string value) =>
        string.Concat(value.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c));
}
