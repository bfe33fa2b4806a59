using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Pointer;
using Json.Schema;
using Supervision.Infrastructure.Api.Health;

namespace Supervision.LocalHost.Tests;

/// <summary>One operation of openapi.json: its operationId (the function's name), method, path, and its JSON pointer.</summary>
public sealed record DocumentedOperation(string OperationId, string Method, string Path, string Location, JsonElement Node);

/// <summary>
/// openapi.json read as a contract: its operations by operationId, the response each documents for a
/// status (following $ref into components/responses), and a response's schema built as JSON Schema
/// 2020-12 (OpenAPI 3.1's dialect) with the whole document in reach, so its $refs resolve.
/// </summary>
public sealed class OpenApiContract
{
    private static readonly Uri DocumentUri = new("https://supervision.test/api/openapi.json");
    private readonly BuildOptions build;

    private OpenApiContract(JsonElement document)
    {
        Document = document;
        var registry = new SchemaRegistry();
        registry.Register(DocumentUri, new JsonElementBaseDocument(document, DocumentUri));
        build = new BuildOptions { SchemaRegistry = registry, Dialect = Dialect.Draft202012 };
    }

    public JsonElement Document { get; }

    /// <summary>The document the API serves (embedded in the Infrastructure assembly).</summary>
    public static OpenApiContract Served() => new((JsonElement)HealthRoutes.OpenApiDocument().Body!);

    /// <summary>
    /// The served document with every object schema that names its properties closed to others
    /// (<c>"unevaluatedProperties": false</c>), so a body with a property the document does not describe fails.
    /// Open maps (<c>additionalProperties</c> with a schema) stay open. unevaluatedProperties sees the properties
    /// named through $ref and oneOf beside it, which additionalProperties would not.
    /// </summary>
    public static OpenApiContract Closed()
    {
        var document = JsonNode.Parse(((JsonElement)HealthRoutes.OpenApiDocument().Body!).GetRawText())!;
        Close(document);
        return new(JsonSerializer.SerializeToElement(document));
    }

    private static void Close(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject schema:
                if (schema["properties"] is JsonObject && NamesObjectType(schema["type"])
                    && !schema.ContainsKey("additionalProperties") && !schema.ContainsKey("unevaluatedProperties"))
                {
                    schema["unevaluatedProperties"] = false;
                }

                foreach (var (_, child) in schema.ToList())
                {
                    Close(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    Close(child);
                }

                break;
        }
    }

    // A schema's type is a string or an array of them; a properties map has schemas (objects) under "type".
    private static bool NamesObjectType(JsonNode? type) => type switch
    {
        JsonValue value => value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() == "object",
        JsonArray names => names.Any(n => n is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == "object"),
        _ => false,
    };

    public IReadOnlyList<DocumentedOperation> Operations() =>
        Document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Select(method => new DocumentedOperation(
                method.Value.TryGetProperty("operationId", out var id) ? id.GetString()! : string.Empty,
                method.Name.ToUpperInvariant(),
                path.Name,
                $"/paths/{Escape(path.Name)}/{method.Name}",
                method.Value)))
            .ToList();

    public DocumentedOperation Operation(string operationId) =>
        Operations().SingleOrDefault(o => o.OperationId == operationId)
        ?? throw new InvalidOperationException($"openapi.json has no operation '{operationId}'");

    /// <summary>The response documented for a status, and its pointer, following a $ref; null when not documented.</summary>
    public (string Pointer, JsonElement Response)? Response(DocumentedOperation operation, int status)
    {
        var key = status.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (!operation.Node.GetProperty("responses").TryGetProperty(key, out var response))
        {
            return null;
        }

        var pointer = $"{operation.Location}/responses/{key}";
        if (response.TryGetProperty("$ref", out var reference))
        {
            pointer = reference.GetString()!.TrimStart('#');
            response = Resolve(pointer);
        }

        return (pointer, response);
    }

    /// <summary>Every response that has a JSON body, with where it is documented and its schema's pointer.</summary>
    public IEnumerable<(string Where, string SchemaPointer)> JsonResponseSchemas() =>
        from operation in Operations()
        from status in operation.Node.GetProperty("responses").EnumerateObject()
        let response = Response(operation, int.Parse(status.Name, System.Globalization.CultureInfo.InvariantCulture))!.Value
        where response.Response.TryGetProperty("content", out _)
        from media in response.Response.GetProperty("content").EnumerateObject()
        where media.Name.EndsWith("json", StringComparison.Ordinal)
        select ($"{operation.OperationId} {status.Name} {media.Name}", $"{response.Pointer}/content/{Escape(media.Name)}/schema");

    /// <summary>
    /// The schema at a pointer of the document, built to evaluate bodies. A schema that is only a $ref is
    /// built from its target: JsonSchema.Net reads a '+' in a $ref's fragment (application/problem+json) as a space.
    /// </summary>
    public JsonSchema SchemaAt(string location)
    {
        while (Resolve(location) is { ValueKind: JsonValueKind.Object } schema
            && schema.EnumerateObject().Count() == 1
            && schema.TryGetProperty("$ref", out var target)
            && target.GetString() is ['#', ..] local)
        {
            location = local[1..];
        }

        using var reference = JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["$ref"] = $"{DocumentUri}#{location}",
        }));
        return JsonSchema.Build(reference.RootElement.Clone(), build, new Uri($"https://supervision.test/check/{Guid.NewGuid():N}"));
    }

    /// <summary>The element at a JSON pointer of the document.</summary>
    public JsonElement Resolve(string location) =>
        JsonPointer.Parse(location).Evaluate(Document) ?? throw new InvalidOperationException($"openapi.json has nothing at {location}");

    /// <summary>A name as one JSON pointer segment (RFC 6901).</summary>
    public static string Escape(string name) =>
        name.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
