using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using Supervision.Domain.Scoring;

namespace Supervision.Infrastructure.Scoring;

/// <summary>Cursors over a scored batch.</summary>
internal static class ScoringCursors
{
    /// <summary>
    /// A cursor that runs the whole chain on the calling thread. ML.NET's own GetRowCursor splits
    /// a batch across Environment.ProcessorCount worker threads and spin-waits to merge them: with
    /// a host already scoring several batches at once, or a process held to one core, the workers
    /// fought over the cores and most of a batch's time went to spinning (a profile of the scoring
    /// benchmark: 1.77 s of 1.93 s in SpinWait). One set of one cursor has no splitter.
    /// </summary>
    public static DataViewRowCursor SingleThreaded(IDataView view, IEnumerable<DataViewSchema.Column> columns) =>
        view.GetRowCursorSet(columns, 1)[0];
}

/// <summary>The text a model reads.</summary>
public sealed class TextInput
{
    [ColumnName(ModelContract.TextColumn)]
    public string Text { get; set; } = string.Empty;
}

/// <summary>Reading a model folder's card.</summary>
public static class ModelFiles
{
    public static string ReadVersion(string directory)
    {
        var card = Path.Combine(directory, ModelContract.CardFileName);
        if (!File.Exists(card))
        {
            throw new FileNotFoundException(
                $"{directory} has a model but no {ModelContract.CardFileName}; a model without a card has no version to record",
                card);
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(card));
        return document.RootElement.TryGetProperty("version", out var version) && version.GetString() is { Length: > 0 } text
            ? text
            : throw new InvalidDataException($"{card} names no version");
    }
}
