using System.Globalization;
using System.Text;
using Supervision.Domain.Audit;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Enterprises;
using Supervision.Infrastructure.Reviews;

namespace Supervision.Infrastructure.Api.Operators;

/// <summary>An enterprise's names after an alias request: the alias asked for, and who added it when (null: a name it had).</summary>
public sealed record AliasView(
    string Uscc,
    string Name,
    string Alias,
    string? AddedBy,
    DateTimeOffset? AddedAt,
    IReadOnlyList<string> Aliases,
    IReadOnlyList<AddedAlias> AddedAliases);

/// <summary>
/// Operators' additions to the registry's aliases. Each passes <see cref="AliasRule"/> against the
/// registry as the linker holds it, then is written conditionally on the enterprise's row as read,
/// so two operators' additions never overwrite each other; asking again for an alias it has is answered
/// with the earlier addition. The linker takes the alias at once here and on other instances within a
/// refresh (<see cref="EnterpriseRegistryOptions.RefreshEvery"/>); re-importing the registry file keeps it.
/// </summary>
public sealed class RegistryAliases(EnterpriseRegistry registry, AuditLog audit, TimeProvider time)
{
    public async Task<DeskOutcome> AddAsync(string uscc, string alias, Caller caller, CancellationToken cancellationToken)
    {
        alias = alias.Trim();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            if (await registry.FindForChangeAsync(uscc, cancellationToken) is not var (enterprise, etag))
            {
                return DeskOutcome.NotFound(
                    ProblemKinds.NotRegistered, $"没有统一社会信用代码为 {uscc} 的登记企业 / no registered enterprise has USCC '{uscc}'.");
            }

            if (enterprise.AddedAliases.FirstOrDefault(a => Same(a.Alias, alias)) is { } added)
            {
                return DeskOutcome.Repeated(View(enterprise, added.Alias, added));
            }

            if (enterprise.AllNames().FirstOrDefault(n => Same(n, alias)) is { } name)
            {
                return DeskOutcome.Repeated(View(enterprise, name, null));
            }

            var linker = await registry.LinkerAsync(cancellationToken);
            if (AliasRule.Check(enterprise, alias, linker.Named) is { } refusal)
            {
                return refusal.Kind == AliasRefusalKind.Invalid
                    ? DeskOutcome.Invalid(ProblemKinds.NotAnAlias, refusal.Reason)
                    : DeskOutcome.Conflict(ProblemKinds.AliasNamesAnother, refusal.Reason);
            }

            var addition = new AddedAlias(alias, caller.Subject, time.GetUtcNow());
            var updated = enterprise with { AddedAliases = [.. enterprise.AddedAliases, addition] };
            if (await registry.ReplaceIfUnchangedAsync(updated, etag, cancellationToken))
            {
                var entry = new AuditEntry(
                    "registry|" + uscc, "alias-added", caller.Subject, addition.AddedAt,
                    $"{caller.Describe()} added the alias \"{alias}\" to {enterprise.Name} ({uscc})", ContentHash.Sha256Hex(alias));
                await audit.AppendAsync(entry, "alias|" + Folded(alias), cancellationToken);
                return DeskOutcome.Accepted(View(updated, alias, addition));
            }

            // Written by someone else since it was read: read it again, the alias may be there now.
        }

        throw new InvalidOperationException($"the registry row of {uscc} kept changing under 10 attempts to add an alias");
    }

    private static AliasView View(Enterprise enterprise, string alias, AddedAlias? added) =>
        new(enterprise.Uscc, enterprise.Name, alias, added?.AddedBy, added?.AddedAt, enterprise.Aliases, enterprise.AddedAliases);

    private static bool Same(string a, string b) => Folded(a) == Folded(b);

    private static string Folded(string name) => name.Trim().Normalize(NormalizationForm.FormKC).ToLower(CultureInfo.InvariantCulture);
}
