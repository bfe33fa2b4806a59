using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Identity;
using Supervision.LocalHost.Identity;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// The local issuer, its metadata served from memory to a real ConfigurationManager (as Entra's is
/// fetched in Azure), a caller directory in memory, and the validator and resolver over them. A
/// second key in the same key set signs crafted tokens (any claims, any "exp") the issuer would not.
/// </summary>
internal sealed class IdentityTestKit : IDocumentRetriever, ICallerDirectory
{
    public const string Address = "https://issuer.test";
    private readonly RsaSecurityKey craftingKey = new(RSA.Create(2048)) { KeyId = "crafting-key" };

    public IdentityTestKit(TimeProvider? time = null, string audience = LocalIssuer.Audience, IDictionary<string, string?>? settings = null)
    {
        var options = Options.Create(
            new AuthOptions { MetadataAddress = $"{Address}/.well-known/openid-configuration", Audience = audience });
        Metadata = new ConfigurationManager<OpenIdConnectConfiguration>(
            options.Value.MetadataUrl!, new OpenIdConnectConfigurationRetriever(), this);
        Validator = new BearerTokenValidator(Metadata, options, time ?? TimeProvider.System, NullLogger<BearerTokenValidator>.Instance);
        Resolver = new CallerResolver(
            Validator,
            this,
            new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>()).Build(),
            NullLogger<CallerResolver>.Instance);
    }

    public LocalIssuer Issuer { get; set; } = new(LocalIssuer.NewSigningKey());

    /// <summary>What the metadata names as issuer; the local issuer's unless a test says otherwise.</summary>
    public string MetadataIssuer { get; set; } = LocalIssuer.Issuer;

    public Dictionary<string, DirectoryEntry> Entries { get; } = new(StringComparer.Ordinal);

    public ConfigurationManager<OpenIdConnectConfiguration> Metadata { get; }

    public BearerTokenValidator Validator { get; }

    public CallerResolver Resolver { get; }

    public int KeySetFetches { get; private set; }

    public string User(string subject, params string[] roles) =>
        Issuer.IssueForUser(subject, roles, TimeSpan.FromHours(1), DateTimeOffset.UtcNow);

    /// <summary>A token signed by a key of the issuer's key set, with exactly these claims.</summary>
    public string Crafted(IDictionary<string, object> claims) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Claims = claims,
            SigningCredentials = new SigningCredentials(craftingKey, SecurityAlgorithms.RsaSha256),
        });

    public static Dictionary<string, object> ValidClaims(string subject) => new()
    {
        ["iss"] = LocalIssuer.Issuer,
        ["aud"] = LocalIssuer.Audience,
        ["oid"] = subject,
        ["sub"] = subject,
        ["roles"] = new[] { Roles.Operator },
        ["iat"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["nbf"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        ["exp"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds(),
    };

    public static ApiRequest Bearer(string token) =>
        new(new Dictionary<string, string> { ["Authorization"] = $"Bearer {token}" }, new Dictionary<string, string>(), string.Empty);

    public Task<string> GetDocumentAsync(string address, CancellationToken cancel)
    {
        if (address.EndsWith(LocalIssuer.KeysPath, StringComparison.Ordinal))
        {
            KeySetFetches++;
            var keys = JsonNode.Parse(Issuer.KeysJson())!["keys"]!.AsArray();
            var crafting = craftingKey.Rsa.ExportParameters(false);
            keys.Add(new JsonObject
            {
                ["kty"] = "RSA",
                ["kid"] = craftingKey.KeyId,
                ["n"] = Base64UrlEncoder.Encode(crafting.Modulus),
                ["e"] = Base64UrlEncoder.Encode(crafting.Exponent),
            });
            return Task.FromResult(new JsonObject { ["keys"] = keys.DeepClone() }.ToJsonString());
        }

        var metadata = JsonNode.Parse(Issuer.MetadataJson(Address))!.AsObject();
        metadata["issuer"] = MetadataIssuer;
        return Task.FromResult(metadata.ToJsonString());
    }

    public Task<DirectoryEntry?> FindAsync(string subject, CancellationToken cancellationToken) =>
        Task.FromResult(Entries.GetValueOrDefault(subject));
}
