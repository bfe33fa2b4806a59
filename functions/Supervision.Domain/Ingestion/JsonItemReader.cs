using System.Text.Json;

namespace Supervision.Domain.Ingestion;

/// <summary>
/// Reads items from JSON APIs, one object per line or a page of items with a cursor, through a
/// per-source field map. A line or item that is not usable is reported with its position; the
/// rest are read.
/// </summary>
public static class JsonItemReader
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, AllowTrailingCommas = true };

    public static JsonReadResult ReadLines(string text, JsonFieldMap map)
    {
        var items = new List<ParsedItem>();
        var errors = new List<string>();
        var lineNumber = 0;
        foreach (var line in text.Split('\n'))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line, Options);
                AddItem(document.RootElement, map, $"line {lineNumber}", items, errors);
            }
            catch (JsonException e)
            {
                errors.Add($"line {lineNumber}: not JSON ({e.Message})");
            }
        }

        return new JsonReadResult(items, errors, null);
    }

    public static JsonReadResult ReadPage(string text, JsonFieldMap map)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Options);
        }
        catch (JsonException e)
        {
            throw new InputRejectedException(RejectionKind.Malformed, $"the page is not JSON: {e.Message}", e);
        }

        using (document)
        {
            if (Find(document.RootElement, map.Items) is not { ValueKind: JsonValueKind.Array } array)
            {
                throw new InputRejectedException(RejectionKind.Malformed, $"the page has no '{map.Items}' array");
            }

            var items = new List<ParsedItem>();
            var errors = new List<string>();
            var index = 0;
            foreach (var element in array.EnumerateArray())
            {
                AddItem(element, map, $"item {index++}", items, errors);
            }

            var next = Find(document.RootElement, map.NextCursor) is { ValueKind: JsonValueKind.String } cursor ? cursor.GetString() : null;
            return new JsonReadResult(items, errors, string.IsNullOrEmpty(next) ? null : next);
        }
    }

    private static void AddItem(JsonElement element, JsonFieldMap map, string where, List<ParsedItem> items, List<string> errors)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{where}: not a JSON object");
            return;
        }

        var title = String(element, map.Title);
        var text = String(element, map.Text);
        if (string.IsNullOrWhiteSpace(title) && string.IsNullOrWhiteSpace(text))
        {
            errors.Add($"{where}: neither '{map.Title}' nor '{map.Text}' has text");
            return;
        }

        var organisations = Find(element, map.Organisations) is { ValueKind: JsonValueKind.Array } names
            ? names.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.String).Select(n => n.GetString()!).ToList()
            : [];
        items.Add(new ParsedItem(
            String(element, map.Id),
            FeedReader.PlainText(title ?? string.Empty),
            FeedReader.PlainText(text ?? string.Empty),
            String(element, map.Link),
            FeedDates.Parse(String(element, map.PublishedAt)))
        {
            Organisations = organisations,
        });
    }

    private static string? String(JsonElement element, string path) => Find(element, path) switch
    {
        { ValueKind: JsonValueKind.String } value => value.GetString(),
        { ValueKind: JsonValueKind.Number } value => value.GetRawText(),
        _ => null,
    };

    private static JsonElement? Find(JsonElement element, string path)
    {
        var current = element;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current;
    }
}

/// <summary>Items read, problems with the rest, and the next page's cursor for paged sources.</summary>
public sealed record JsonReadResult(IReadOnlyList<ParsedItem> Items, IReadOnlyList<string> Errors, string? NextCursor);
