using System.Security.Cryptography;
using System.Text.Json;
using Supervision.Domain.Scoring;

namespace Supervision.Trainer;

/// <summary>
/// One labelled text: its language, whether it reports something adverse, and its risk category
/// when the source labels one.
/// </summary>
public sealed record LabelledText(TextLanguage Language, bool IsAdverse, string? Category, string Text, string Origin);

/// <summary>A file the models were trained from: what it is, its hash and its licence.</summary>
public sealed record DataFile(string File, string Sha256, string Licence, int Rows);

/// <summary>
/// The training data in the repository: the project's own corpus (ml-models/data/corpus, written
/// for Supervision, polarity plus risk category) and the UCI Sentiment Labelled Sentences
/// (English polarity only, CC BY 4.0). Every row is validated; a bad row stops training with its
/// file and line rather than being skipped.
/// </summary>
public sealed class TrainingData
{
    public const string CorpusLicence = "MIT, written for this project (ml-models/data/LICENSE-data.txt)";
    public const string UciLicence = "CC BY 4.0, Kotzias et al. 2015 (ml-models/data/uci-sentiment-labelled-sentences/SOURCE.txt)";

    private TrainingData(IReadOnlyList<LabelledText> rows, IReadOnlyList<DataFile> files)
    {
        Rows = rows;
        Files = files;
    }

    public IReadOnlyList<LabelledText> Rows { get; }

    public IReadOnlyList<DataFile> Files { get; }

    public static string DataDirectory(string root) => Path.Combine(root, "ml-models", "data");

    public static TrainingData Load(string dataDirectory)
    {
        var rows = new List<LabelledText>();
        var files = new List<DataFile>();
        foreach (var (language, name) in new[] { (TextLanguage.English, "en.tsv"), (TextLanguage.Chinese, "zh.tsv") })
        {
            var path = Path.Combine(dataDirectory, "corpus", name);
            var corpus = ReadCorpus(path, language);
            rows.AddRange(corpus);
            files.Add(new DataFile("corpus/" + name, Sha256(path), CorpusLicence, corpus.Count));
        }

        foreach (var name in new[] { "amazon.json", "imdb.json", "yelp.json" })
        {
            var path = Path.Combine(dataDirectory, "uci-sentiment-labelled-sentences", name);
            var uci = ReadUci(path);
            rows.AddRange(uci);
            files.Add(new DataFile("uci-sentiment-labelled-sentences/" + name, Sha256(path), UciLicence, uci.Count));
        }

        return new TrainingData(rows, files);
    }

    /// <summary>A hash over every file's hash: the data's identity in model versions.</summary>
    public string CombinedSha256() =>
        Convert.ToHexStringLower(
            SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', Files.Select(f => f.File + ":" + f.Sha256)))));

    /// <summary>Reads 'polarity TAB category TAB text' rows: polarity '-' adverse, '0' neutral, '+' favourable.</summary>
    public static IReadOnlyList<LabelledText> ReadCorpus(string path, TextLanguage language)
    {
        var rows = new List<LabelledText>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (lineNumber == 1 || line.Length == 0)
            {
                continue; // header
            }

            var fields = line.Split('\t');
            if (fields.Length != 3 || fields[0] is not ("-" or "0" or "+") || string.IsNullOrWhiteSpace(fields[2]))
            {
                throw new FormatException($"{path}:{lineNumber}: expected 'polarity<TAB>category<TAB>text' with polarity -, 0 or +");
            }

            if (RiskTaxonomy.FromKey(fields[1]) is null)
            {
                throw new FormatException(
                    $"{path}:{lineNumber}: '{fields[1]}' is not a risk category ({string.Join(", ", RiskTaxonomy.Keys)})");
            }

            var text = fields[2].Trim();
            if (!seen.Add(text))
            {
                throw new FormatException(
                    $"{path}:{lineNumber}: the same text appears twice; a repeated row would sit on both sides of the held-out split");
            }

            if (LanguageDetector.Detect(text) != language)
            {
                throw new FormatException($"{path}:{lineNumber}: the text does not read as {LanguageDetector.Code(language)}");
            }

            rows.Add(new LabelledText(language, fields[0] == "-", fields[1], text, Path.GetFileName(path)));
        }

        return rows;
    }

    /// <summary>Reads the UCI sentences: class 0 negative (adverse), 1 positive. Empty rows are skipped.</summary>
    public static IReadOnlyList<LabelledText> ReadUci(string path)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var rows = new List<LabelledText>();
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var text = element.GetProperty("text").GetString();
            if (string.IsNullOrWhiteSpace(text) || element.GetProperty("class").ValueKind != JsonValueKind.Number)
            {
                continue;
            }

            rows.Add(new LabelledText(
                TextLanguage.English, element.GetProperty("class").GetInt32() == 0, null, text.Trim(), Path.GetFileName(path)));
        }

        return rows;
    }

    public static string Sha256(string path) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)));
}
