using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Api;

/// <summary>Turns an ASP.NET Core request into an <see cref="ApiRequest"/>; both hosts use ASP.NET Core.</summary>
public static class HttpApiAdapter
{
    /// <summary>Bodies above this are cut here and refused by the handler; nothing larger is buffered.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The request's headers, query, body (cut at <see cref="MaxBodyBytes"/>) and whatever route values routing set.</summary>
    public static async Task<ApiRequest> ToApiRequestAsync(this HttpRequest request, CancellationToken cancellationToken)
    {
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var query = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var buffer = new byte[MaxBodyBytes + 1];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await request.Body.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        var route = request.RouteValues.Select(v => (v.Key, v.Value?.ToString() ?? string.Empty));
        return new ApiRequest(headers, query, Encoding.UTF8.GetString(buffer, 0, total)).WithRoute(route);
    }

    /// <summary>Writes a response as both hosts answer: status, Content-Type, its headers, then its bytes or its JSON.</summary>
    public static async Task WriteAsync(this ApiResponse response, HttpResponse http, CancellationToken cancellationToken)
    {
        http.StatusCode = response.Status;
        http.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers)
        {
            http.Headers[name] = value;
        }

        if (response.Bytes is { } bytes)
        {
            http.ContentLength = bytes.Length;
            await http.Body.WriteAsync(bytes, cancellationToken);
            return;
        }

        await http.WriteAsync(response.BodyJson(), cancellationToken);
    }

    /// <summary>The JSON text of a response body, written identically by both hosts.</summary>
    public static string BodyJson(this ApiResponse response) => JsonSerializer.Serialize(response.Body, MessageJson.Options);
}
