using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Supervision.Domain.Security;

/// <summary>
/// Signed development tokens for the local host, where App Service Authentication does not
/// exist: "sv1.{base64url(claims)}.{base64url(HMAC-SHA256)}". Never accepted unless a signing
/// key is configured, and that key lives outside the repository.
/// </summary>
public sealed class DevelopmentTokens(byte[] signingKey, TimeProvider time)
{
    private const string Prefix = "sv1";

    public string Issue(Caller caller, TimeSpan lifetime)
    {
        var expires = time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        var claims = new TokenClaims(caller.Subject, caller.AppRoles, caller.Uscc, caller.Institution, expires);
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        return $"{Prefix}.{payload}.{Base64Url(Sign(payload))}";
    }

    public Caller? Validate(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != Prefix)
        {
            return null;
        }

        byte[] signature;
        TokenClaims? claims;
        try
        {
            signature = FromBase64Url(parts[2]);
            claims = JsonSerializer.Deserialize<TokenClaims>(FromBase64Url(parts[1]));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(signature, Sign(parts[1])) || claims is null)
        {
            return null;
        }

        // Compared as numbers: a far-future "exp" is no date at all and must not throw.
        if (claims.Exp < time.GetUtcNow().ToUnixTimeSeconds())
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(claims.Sub) || (claims.Roles is null or [] && claims.Uscc is null && claims.Inst is null)
            ? null
            : new Caller(claims.Sub, claims.Roles ?? [], claims.Uscc, claims.Inst);
    }

    private byte[] Sign(string payload) => HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(payload));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
        return Convert.FromBase64String(padded);
    }

    private sealed record TokenClaims(string Sub, IReadOnlyList<string>? Roles, string? Uscc, string? Inst, long Exp);
}
