using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Problems;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api.Identity;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Api.Callers;

/// <summary>The operators' routes to the caller directory: which enterprise or institution a subject speaks for.</summary>
public sealed class DirectoryRoutes(CallerDirectory directory)
{
    public async Task<ApiResponse> GetEntryAsync(string subject, CancellationToken cancellationToken) =>
        await directory.ReadAsync(subject, cancellationToken) is { } stored
            ? ApiResponse.Ok(Body(stored))
            : ApiResponse.Problem(
                404, ProblemKinds.NotInDirectory, $"目录中没有该主体 / '{subject}' speaks for no enterprise or institution.");

    /// <summary>Maps the subject to one enterprise or one institution, replacing what it was mapped to.</summary>
    public async Task<ApiResponse> PutEntryAsync(Caller caller, ApiRequest request, string subject, CancellationToken cancellationToken)
    {
        EntryBody? body;
        try
        {
            body = JsonSerializer.Deserialize<EntryBody>(request.Body, MessageJson.Options);
        }
        catch (JsonException)
        {
            body = null;
        }

        var entry = new DirectoryEntry(subject, Blank(body?.Uscc), Blank(body?.Institution));
        if (body is null || entry.Problem() is { } problem)
        {
            var detail = body is null
                ? "请求体须为 JSON / the body must be {\"uscc\":\"…\"} or {\"institution\":\"…\"}"
                : entry.Problem()!;
            return ApiResponse.Problem(400, ProblemKinds.InvalidDirectoryEntry, detail);
        }

        return ApiResponse.Ok(Body(await directory.SaveAsync(entry, caller.Subject, cancellationToken)));
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static object Body(StoredDirectoryEntry stored) => new
    {
        stored.Entry.Subject,
        stored.Entry.Uscc,
        stored.Entry.Institution,
        stored.UpdatedBy,
        stored.UpdatedAt,
    };

    private sealed record EntryBody(string? Uscc, string? Institution);
}

/// <summary>Registers the directory routes.</summary>
public static class DirectoryRouteServices
{
    public static IServiceCollection AddDirectoryRoutes(this IServiceCollection services) => services.AddSingleton<DirectoryRoutes>();
}
