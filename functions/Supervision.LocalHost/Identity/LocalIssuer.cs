using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Supervision.LocalHost.Identity;

/// <summary>
/// The local host's own OpenID Connect issuer, standing in for Entra ID: it signs tokens shaped
/// like Entra's (a user's "oid"/"sub" or a client's "appid", "roles", "aud", "iss", "iat",
/// "nbf", "exp", nothing else) with an RSA key kept in .local/dev-secrets.json, and publishes
/// its metadata and key set, so the app validates them exactly as it validates Entra's.
/// </summary>
public sealed class LocalIssuer
{
    /// <summary>Setting (configuration key) that holds the PKCS#8 private key, base64; the local host serves the issuer when set.</summary>
    public const string SigningKeySetting = "LocalIssuer:SigningKey";

    /// <summary>The same on every port, so a token outlives a restart on another port.</summary>
    public const string Issuer = "urn:supervision:local-issuer";

    /// <summary>What the local host's validator expects in "aud", as Entra puts the app registration's client id there.</summary>
    public const string Audience = "api://supervision-local";

    // Outside /api: the issuer is not part of the API and passes no gate.
    public const string MetadataPath = "/.well-known/openid-configuration";
    public const string KeysPath = "/.well-known/jwks.json";

    private static readonly string[] Algorithms = [SecurityAlgorithms.RsaSha256];
    private static readonly string[] SubjectTypes = ["public"];
    private static readonly string[] ResponseTypes = ["token"];
    private readonly RsaSecurityKey key;
    private readonly JsonWebTokenHandler handler = new() { SetDefaultTimesOnTokenCreation = false };

    public LocalIssuer(string privateKeyBase64)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(Convert.FromBase64String(privateKeyBase64), out _);
        key = new RsaSecurityKey(rsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
    }

    /// <summary>A new private key, PKCS#8 base64, for the secrets file.</summary>
    public static string NewSigningKey()
    {
        using var rsa = RSA.Create(2048);
        return Convert.ToBase64String(rsa.ExportPkcs8PrivateKey());
    }

    /// <summary>A token for a user: object id in "oid" and "sub", as Entra gives for a signed-in person.</summary>
    public string IssueForUser(string objectId, IReadOnlyList<string> roles, TimeSpan lifetime, DateTimeOffset now) =>
        Issue(new Dictionary<string, object> { ["oid"] = objectId, ["sub"] = objectId }, roles, lifetime, now);

    /// <summary>A token for a client application (a machine caller): its app id in "appid", as Entra's app-only tokens.</summary>
    public string IssueForApp(string appId, IReadOnlyList<string> roles, TimeSpan lifetime, DateTimeOffset now) =>
        Issue(new Dictionary<string, object> { ["appid"] = appId, ["sub"] = appId }, roles, lifetime, now);

    /// <summary>The OpenID metadata, its key set at <paramref name="baseAddress"/> + <see cref="KeysPath"/>.</summary>
    public string MetadataJson(string baseAddress) => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["issuer"] = Issuer,
        ["jwks_uri"] = baseAddress.TrimEnd('/') + KeysPath,
        ["id_token_signing_alg_values_supported"] = Algorithms,
        ["subject_types_supported"] = SubjectTypes,
        ["response_types_supported"] = ResponseTypes,
    });

    /// <summary>The public key only, as a JWKS.</summary>
    public string KeysJson()
    {
        var parameters = key.Rsa.ExportParameters(includePrivateParameters: false);
        var jwk = new Dictionary<string, string>
        {
            ["kty"] = "RSA",
            ["use"] = "sig",
            ["alg"] = SecurityAlgorithms.RsaSha256,
            ["kid"] = key.KeyId,
            ["n"] = Base64UrlEncoder.Encode(parameters.Modulus),
            ["e"] = Base64UrlEncoder.Encode(parameters.Exponent),
        };
        return JsonSerializer.Serialize(new { keys = new[] { jwk } });
    }

    private string Issue(Dictionary<string, object> claims, IReadOnlyList<string> roles, TimeSpan lifetime, DateTimeOffset now)
    {
        if (roles.Count > 0)
        {
            claims["roles"] = roles.ToArray();
        }

        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
        });
    }
}
