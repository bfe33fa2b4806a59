namespace Supervision.Domain.Security;

/// <summary>
/// Who a validated token (or App Service's principal) says is calling, before the directory is
/// asked what enterprise or institution that is: a subject and its app roles.
/// </summary>
public sealed record SignedInIdentity(string Subject, IReadOnlyList<string> AppRoles)
{
    /// <summary>
    /// Reads Entra ID's claims. A token on behalf of a user (it carries "scp", or no app id at all)
    /// names the user by object id ("oid", else "sub"); an app-only token (a customs system, a
    /// third-party institution's client: an app id in "azp"/"appid" and no "scp", or "idtyp" app)
    /// names the client by its app id, the id the directory knows it by. Every "roles" value counts.
    /// </summary>
    /// <param name="values">All values of one claim type; none when the claim is absent.</param>
    public static SignedInIdentity? FromClaims(Func<string, IEnumerable<string>> values)
    {
        string? First(params string[] types) => types
            .Select(t => values(t).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)))
            .FirstOrDefault(v => v is not null);

        var appId = First("azp", "appid");
        var appOnly = First("idtyp") == "app" || (appId is not null && First("scp") is null);
        var subject = appOnly ? appId : First("oid", "sub");
        var roles = values("roles").Where(r => !string.IsNullOrWhiteSpace(r)).Distinct(StringComparer.Ordinal).ToList();
        return subject is null ? null : new SignedInIdentity(subject, roles);
    }

    /// <summary>The caller, speaking for the enterprise or institution the directory maps its subject to, if any.</summary>
    public Caller ToCaller(DirectoryEntry? entry) => new(Subject, AppRoles, entry?.Uscc, entry?.Institution);
}
