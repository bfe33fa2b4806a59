using System.Text.Json;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Health;
using Supervision.LocalHost.Triggers;

namespace Supervision.LocalHost.Tests;

/// <summary>The OpenAPI document describes exactly the routes both hosts serve.</summary>
public class OpenApiTests
{
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
}
