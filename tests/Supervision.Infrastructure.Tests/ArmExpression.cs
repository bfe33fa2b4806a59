using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// Evaluates the few ARM template functions the compiled Bicep of the auth settings uses (parameters,
/// variables, if, not, empty, concat, createArray, createObject, format, string, environment, tenant),
/// so a test can ask what a template deploys for given parameter values without deploying it.
/// Anything else throws, so a template change the test does not understand fails it.
/// </summary>
internal sealed class ArmExpression(JsonObject template, IReadOnlyDictionary<string, JsonNode?> parameters)
{
    private string text = string.Empty;
    private int at;

    /// <summary>A template value: "[...]" strings evaluated, objects and arrays walked, other values as they are.</summary>
    public JsonNode? Evaluate(JsonNode? value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) && s.StartsWith('[') && !s.StartsWith("[[", StringComparison.Ordinal) =>
            Parse(s[1..^1]),
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Evaluate(p.Value)))),
        JsonArray a => new JsonArray(a.Select(Evaluate).ToArray()),
        _ => value?.DeepClone(),
    };

    private JsonNode? Parse(string expression)
    {
        (text, at) = (expression, 0);
        var result = Expression();
        return at == text.Length ? result : throw new FormatException($"unread: {text[at..]}");
    }

    private JsonNode? Expression()
    {
        JsonNode? value;
        if (text[at] == '\'')
        {
            var end = text.IndexOf('\'', at + 1);
            value = JsonValue.Create(text[(at + 1)..end]);
            at = end + 1;
        }
        else if (char.IsAsciiDigit(text[at]))
        {
            var start = at;
            while (at < text.Length && char.IsAsciiDigit(text[at])) { at++; }
            value = JsonValue.Create(int.Parse(text[start..at], CultureInfo.InvariantCulture));
        }
        else
        {
            var start = at;
            while (char.IsAsciiLetterOrDigit(text[at])) { at++; }
            var name = text[start..at];
            Expect('(');
            var args = new List<JsonNode?>();
            while (text[at] != ')')
            {
                args.Add(Expression());
                if (text[at] == ',') { at++; SkipSpaces(); }
            }

            at++;
            value = Call(name, args);
        }

        while (at < text.Length && text[at] == '.')
        {
            var start = ++at;
            while (at < text.Length && char.IsAsciiLetterOrDigit(text[at])) { at++; }
            value = value is JsonObject o ? o[text[start..at]]?.DeepClone() : JsonValue.Create($"{value}.{text[start..at]}");
        }

        return value;
    }

    private JsonNode? Call(string name, List<JsonNode?> args) => name switch
    {
        "parameters" => parameters.TryGetValue(Str(args[0]), out var p) ? p?.DeepClone() : JsonValue.Create($"<{Str(args[0])}>"),
        "variables" => new ArmExpression(template, parameters).Evaluate(template["variables"]![Str(args[0])]),
        "if" => args[0]!.GetValue<bool>() ? args[1] : args[2],
        "not" => JsonValue.Create(!args[0]!.GetValue<bool>()),
        "empty" => JsonValue.Create(
            args[0] switch { JsonArray a => a.Count == 0, JsonObject o => o.Count == 0, var v => Str(v).Length == 0 }),
        "createArray" => new JsonArray(args.ToArray()),
        "createObject" => new JsonObject(args.Chunk(2).Select(kv => KeyValuePair.Create(Str(kv[0]), kv[1]))),
        "concat" when args.All(a => a is JsonArray) =>
            new JsonArray(args.SelectMany(a => a!.AsArray().Select(i => i?.DeepClone())).ToArray()),
        "concat" => JsonValue.Create(string.Concat(args.Select(Str))),
        "format" => JsonValue.Create(Format(Str(args[0]), args.Skip(1).Select(Str).ToArray())),
        "string" => JsonValue.Create(args[0]?.ToString()),
        "environment" => JsonNode.Parse("""{"authentication":{"loginEndpoint":"https://login.microsoftonline.com/"}}"""),
        "tenant" => JsonNode.Parse("""{"tenantId":"tenant-0001"}"""),
        _ => throw new NotSupportedException($"ARM function {name} is not understood by this test"),
    };

    private static string Format(string format, string[] values)
    {
        var result = new StringBuilder(format);
        for (var i = 0; i < values.Length; i++)
        {
            result.Replace($"{{{i}}}", values[i]);
        }

        return result.ToString();
    }

    private static string Str(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? string.Empty;

    private void Expect(char c)
    {
        if (text[at++] != c)
        {
            throw new FormatException($"expected '{c}' at {at - 1} of {text}");
        }
    }

    private void SkipSpaces()
    {
        while (at < text.Length && text[at] == ' ') { at++; }
    }
}
