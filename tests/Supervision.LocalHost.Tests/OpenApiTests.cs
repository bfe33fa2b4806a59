using System.Text.Json;
using Supervision.Domain.Problems;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Health;
using Supervision.LocalHost.Triggers;

namespace Supervision.LocalHost.Tests;

/// <summary>The OpenAPI document describes exactly the routes both hosts serve, what their bodies hold, and each kind of problem.</summary>
public class OpenApiTests
{
    private static readonly OpenApiContract Contract = OpenApiContract.Served();

    private static readonly string[] Combinators = ["oneOf", "anyOf", "allOf"];

    [Fact]
    public void Document_ListsEveryRouteWithItsMethod_AndNothingElse()
    {
        var document = (JsonElement)HealthRoutes.OpenApiDocument().Body!;
        var documented = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject()
                .Select(m => $"{m.Name.ToUpperInvariant()} {ApiRoutes.Prefix}{p.Name.TrimStart('/')}"))
            .Order(StringComparer.Ordinal)
            .ToList();
        var served = LocalFunctions.Http.Select(h => $"{h.Method.ToUpperInvariant()} {h.Route}").Order(StringComparer.Ordinal).ToList();

        Assert.Equal(served, documented);
    }

    /// <summary>
    /// A schema that allows anything describes nothing: every object in a JSON response names its
    /// properties (or, for a map, the schema of its values), every array its items, and every schema
    /// says what it is. The API document's own response is left out: OpenAPI 3.1's schema describes it.
    /// </summary>
    [Fact]
    public void EveryJsonResponseSchema_NamesWhatItHolds()
    {
        var bare = new List<string>();
        var responses = Contract.JsonResponseSchemas().Where(r => !r.Where.StartsWith("OpenApi ", StringComparison.Ordinal)).ToList();
        foreach (var (where, pointer) in responses)
        {
            Walk(Contract.Resolve(pointer), $"{where} {pointer}", [], bare);
        }

        Assert.NotEmpty(responses);
        Assert.True(bare.Count == 0, "These schemas allow anything:\n" + string.Join("\n", bare.Distinct()));
    }

    [Fact]
    public void EveryKindOfProblem_IsListedUnderTheProblemSchema_WithItsTitle()
    {
        var listed = Contract.Resolve("/components/schemas/Problem/properties/type/description").GetString()!;

        Assert.All(ProblemKinds.All, kind => Assert.Contains($"`{kind.Type}`: {kind.Title}", listed, StringComparison.Ordinal));
    }

    private static void Walk(JsonElement schema, string where, HashSet<string> seen, List<string> bare)
    {
        if (schema.TryGetProperty("$ref", out var reference))
        {
            var pointer = reference.GetString()!.TrimStart('#');
            if (seen.Add(pointer))
            {
                Walk(Contract.Resolve(pointer), pointer, seen, bare);
            }

            return;
        }

        var types = !schema.TryGetProperty("type", out var type) ? []
            : type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [type.GetString()!];
        var combined = Combinators
            .SelectMany(k => schema.TryGetProperty(k, out var members) ? members.EnumerateArray() : Enumerable.Empty<JsonElement>())
            .ToList();
        var properties = schema.TryGetProperty("properties", out var named) ? named.EnumerateObject().ToList() : [];
        var values = schema.TryGetProperty("additionalProperties", out var map) && map.ValueKind == JsonValueKind.Object
            ? map
            : (JsonElement?)null;
        var items = schema.TryGetProperty("items", out var item) ? item : (JsonElement?)null;

        if ((types.Count == 0 && combined.Count == 0)
            || (types.Contains("object") && properties.Count == 0 && values is null)
            || (types.Contains("array") && items is null))
        {
            bare.Add(where);
        }

        foreach (var member in combined)
        {
            Walk(member, where, seen, bare);
        }

        foreach (var property in properties)
        {
            Walk(property.Value, $"{where}/properties/{property.Name}", seen, bare);
        }

        if (values is { } valueSchema)
        {
            Walk(valueSchema, $"{where}/additionalProperties", seen, bare);
        }

        if (items is { } itemSchema)
        {
            Walk(itemSchema, $"{where}/items", seen, bare);
        }
    }
}
