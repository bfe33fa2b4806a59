using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api.Identity;
using Supervision.LocalHost.Demo;
using Supervision.LocalHost.Identity;
using Supervision.WebConsole;

namespace Supervision.LocalHost.WebConsole;

/// <summary>The development sign-in page's request: the development key, and whom to sign in as.</summary>
public sealed record DevelopmentSignInRequest(
    [property: JsonPropertyName("key")] string? Key,
    [property: JsonPropertyName("role")] string? Role,
    [property: JsonPropertyName("uscc")] string? Uscc);

/// <summary>
/// Development sign-in on the local host: whoever knows the development key (printed in the banner,
/// kept in .local/dev-secrets.json) picks an audience and gets a token from the local issuer, exactly
/// what the "token" command gives. Served only when the key is set; the Functions app never serves it.
/// </summary>
public static class DevelopmentSignIn
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>
    /// The development key when the settings name none: derived from the local issuer's signing key (kept in
    /// .local/dev-secrets.json, never committed), so it lasts as long as that key and needs no secret of its own.
    /// </summary>
    public static string KeyFrom(string signingKey) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(signingKey), "console sign-in"u8))[..24];

    public static void MapDevelopmentSignIn(this WebApplication app, string developmentKey, IReadOnlyDictionary<string, string?> settings)
    {
        var issuer = new LocalIssuer(settings[LocalIssuer.SigningKeySetting]!);
        var departments = TokenCommand.KnownDepartments(MemorandumCatalog.LoadEmbedded());
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(developmentKey));

        // The audiences to offer: every staff role of the catalog's departments, the regulator's roles, the demo enterprises.
        app.MapGet(ConsolePaths.DevelopmentToken.Replace("/token", "/audiences", StringComparison.Ordinal), () => Results.Json(new
        {
            departments = departments.Order(StringComparer.Ordinal),
            roles = new[] { Roles.CaseOwner, Roles.Operator, Roles.Auditor },
            enterprises = DemoCases.Expected.Select(c => new { uscc = c.Uscc, name = c.EnterpriseName }).DistinctBy(e => e.uscc),
        }));

        app.MapPost(ConsolePaths.DevelopmentToken, async (
            DevelopmentSignInRequest request, CallerDirectory directory, CancellationToken cancellation) =>
        {
            var offered = SHA256.HashData(Encoding.UTF8.GetBytes(request.Key ?? string.Empty));
            if (!CryptographicOperations.FixedTimeEquals(offered, expected))
            {
                return Problem(403, "开发登录密钥不正确 Wrong development key");
            }

            var now = DateTimeOffset.UtcNow;
            if (request.Uscc is { Length: > 0 } uscc)
            {
                var entry = new DirectoryEntry($"enterprise-{uscc.Trim()}", uscc.Trim(), null);
                if (entry.Problem() is { } problem)
                {
                    return Problem(400, problem);
                }

                // As an operator would map a signed-in enterprise user with PUT operator/directory/{subject}.
                await directory.SaveAsync(entry, "development-sign-in", cancellation);
                return Results.Json(new { token = issuer.IssueForUser(entry.Subject, [], Lifetime, now) });
            }

            if (request.Role is not { Length: > 0 } role || !TokenCommand.IsKnownRole(role, departments))
            {
                return Problem(400, $"未知角色 '{request.Role}' / unknown role '{request.Role}'");
            }

            return Results.Json(new { token = issuer.IssueForUser($"dev-{role}", [role], Lifetime, now) });
        });
    }

    private static IResult Problem(int status, string title) =>
        Results.Json(
            new { type = "urn:supervision:problem:sign-in", title, status },
            statusCode: status,
            contentType: "application/problem+json");
}
