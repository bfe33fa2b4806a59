using System.Text;
using System.Text.Json;

namespace Supervision.Domain.Security;

/// <summary>
/// Reads App Service Authentication's X-MS-CLIENT-PRINCIPAL header (base64 JSON with a claims
/// list) with the same claim rules as a bearer token. The platform sets this header and strips a
/// client's own, but only while authentication is on: the caller resolver reads it only when the
/// platform says so (WEBSITE_AUTH_ENABLED).
/// </summary>
public static class AppServicePrincipal
{
    public const string HeaderName = "X-MS-CLIENT-PRINCIPAL";
    public const string EnabledSetting = "WEBSITE_AUTH_ENABLED";

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    // The platform writes some Entra claims under their long WS-Federation names.
    private static readonly Dictionary<string, string> LongNames = new(StringComparer.Ordinal)
    {
        ["oid"] = "http://schemas.microsoft.com/identity/claims/objectidentifier",
        ["scp"] = "http://schemas.microsoft.com/identity/claims/scope",
        ["sub"] = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
        ["roles"] = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
    };

    public static SignedInIdentity? Parse(string headerValue)
    {
        try
        {
            var json = Encoding.UTF8.GetString(Convert.FromBase64String(headerValue));
            var principal = JsonSerializer.Deserialize<Principal>(json, JsonOptions);
            if (principal?.Claims is null)
            {
                return null;
            }

            var roleType = principal.RoleTyp ?? "roles";
            return SignedInIdentity.FromClaims(type => principal.Claims
                .Where(c => c.Typ == type
                    || (LongNames.TryGetValue(type, out var longName) && c.Typ == longName)
                    || (type == "roles" && c.Typ == roleType))
                .Select(c => c.Val));
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return null;
        }
    }

    private sealed record Principal(string? AuthTyp, string? NameTyp, string? RoleTyp, IReadOnlyList<PrincipalClaim>? Claims);

    private sealed record PrincipalClaim(string Typ, string Val);
}
