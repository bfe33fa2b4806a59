using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Supervision.Domain.Paging;

/// <summary>
/// What a continuation token is bound to: the list (its route), every filter as the caller gave it,
/// and the caller as the gate resolved them. A token is honoured only for the same scope.
/// </summary>
public sealed record PageScope(string List, IReadOnlyDictionary<string, string> Filters, Security.Caller Caller)
{
    /// <summary>A scope from filters as read from the request; absent and empty filters are the same (left out).</summary>
    public static PageScope Of(string list, Security.Caller caller, params (string Name, string? Value)[] filters) =>
        new(
            list,
            filters.Where(f => !string.IsNullOrEmpty(f.Value)).ToDictionary(f => f.Name, f => f.Value!, StringComparer.Ordinal),
            caller);

    /// <summary>The query's fingerprint: length-prefixed parts, so no two different queries spell the same text.</summary>
    internal string QueryText =>
        Join([List, .. Filters.OrderBy(f => f.Key, StringComparer.Ordinal).SelectMany(f => new[] { f.Key, f.Value })]);

    internal string CallerText => Join([Caller.Describe()]);

    private static string Join(IEnumerable<string> parts) =>
        string.Concat(parts.Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{p.Length}:{p};")));
}

/// <summary>Why a continuation token was refused, for a 400 that says what to do.</summary>
public enum PageTokenProblem
{
    None,
    Malformed,
    OtherQuery,
    OtherCaller,
    Expired,
}

/// <summary>
/// Signed continuation tokens: "pg1.{base64url(claims)}.{base64url(HMAC-SHA256)}". The claims hold
/// the next position, hashes of the query and of the caller, and an expiry; the signature covers
/// them all, so a position cannot be forged or edited, and a token replayed with a changed filter or
/// by another caller is refused. The key is the deployment's, never in the repository.
/// </summary>
public sealed class PageTokens(byte[] signingKey, TimeProvider time, TimeSpan lifetime)
{
    private const string Prefix = "pg1";

    public string Issue(PageScope scope, IReadOnlyList<string> position)
    {
        var claims = new Claims(
            Hash(scope.QueryText), Hash(scope.CallerText), [.. position], time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds());
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        return $"{Prefix}.{payload}.{Base64Url(Sign(payload))}";
    }

    /// <summary>The position a token names, or why it is refused for this scope.</summary>
    public (IReadOnlyList<string>? Position, PageTokenProblem Problem) Read(PageScope scope, string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3 || parts[0] != Prefix)
        {
            return (null, PageTokenProblem.Malformed);
        }

        Claims? claims;
        try
        {
            if (!CryptographicOperations.FixedTimeEquals(FromBase64Url(parts[2]), Sign(parts[1])))
            {
                return (null, PageTokenProblem.Malformed);
            }

            claims = JsonSerializer.Deserialize<Claims>(FromBase64Url(parts[1]));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return (null, PageTokenProblem.Malformed);
        }

        return claims switch
        {
            null or { P: null or [] } => (null, PageTokenProblem.Malformed),
            _ when claims.Q != Hash(scope.QueryText) => (null, PageTokenProblem.OtherQuery),
            _ when claims.C != Hash(scope.CallerText) => (null, PageTokenProblem.OtherCaller),
            _ when DateTimeOffset.FromUnixTimeSeconds(claims.E) < time.GetUtcNow() => (null, PageTokenProblem.Expired),
            _ => (claims.P, PageTokenProblem.None),
        };
    }

    /// <summary>What a refused token's problem means to the caller.</summary>
    public static string Explain(PageTokenProblem problem) => problem switch
    {
        PageTokenProblem.OtherQuery =>
            "the continuation token was issued for another query (another list or other filters); send the same filters, "
            + "or leave 'next' out to start again.",
        PageTokenProblem.OtherCaller => "the continuation token was issued to another caller; leave 'next' out to start again.",
        PageTokenProblem.Expired => "the continuation token has expired; leave 'next' out to start again.",
        _ => "the continuation token is not one this service issued, or it was altered; leave 'next' out to start again.",
    };

    private byte[] Sign(string payload) => HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(payload));

    // 128 bits of SHA-256 is plenty to tell queries and callers apart, and keeps tokens short.
    private static string Hash(string text) => Base64Url(SHA256.HashData(Encoding.UTF8.GetBytes(text))[..16]);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", _ => string.Empty };
        return Convert.FromBase64String(padded);
    }

    private sealed record Claims(string Q, string C, string[] P, long E);
}
