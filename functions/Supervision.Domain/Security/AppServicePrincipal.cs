using System.Text;
using System.Text.Json;

namespace Supervision.Domain.Security;

/// <summary>
/// Reads the caller from App Service Authentication's X-MS-CLIENT-PRINCIPAL header (base64 JSON
/// with a claims list). The platform strips this header from client requests, so it is trusted
/// only where that platform runs (setting Auth:TrustAppServicePrincipal).
/// </summary>
public static class AppServicePrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";
    public const string RoleClaim = "roles";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    public static Caller? Parse(string headerValue)
    {
        try
        {
            var json = Encoding.UTF8.GetString(Convert.FromBase64String(headerValue));
            var principal = JsonSerializer.Deserialize<Principal>(json, JsonOptions);
            if (principal?.Claims is null)
            {
                return null;
            }

            string? Claim(string type) => principal.Claims.FirstOrDefault(c => c.Typ == type)?.Val;
            var subject = Claim(principal.NameTyp ?? "name") ?? Claim("http://schemas.microsoft.com/identity/claims/objectidentifier");
            var roleType = principal.RoleTyp ?? RoleClaim;
            var roles = principal.Claims
                .Where(c => c.Typ == roleType || c.Typ == RoleClaim)
                .Select(c => c.Val)
                .Distinct(StringComparer.Ordinal)
                .ToList();
            return subject is null || roles.Count == 0 ? null : new Caller(subject, roles);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private sealed record Principal(string? AuthTyp, string? NameTyp, string? RoleTyp, IReadOnlyList<PrincipalClaim>? Claims);

    private sealed record PrincipalClaim(string Typ, string Val);
}
