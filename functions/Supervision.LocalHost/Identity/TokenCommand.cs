using System.Globalization;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;

namespace Supervision.LocalHost.Identity;

/// <summary>What the token command was asked for: whom to sign a token for, with which roles, speaking for whom.</summary>
public sealed record TokenRequest(string Subject, IReadOnlyList<string> Roles, bool App, DirectoryEntry? Entry, TimeSpan Lifetime);

/// <summary>
/// Reads the arguments of "token": --department D (repeatable) with --role reviewer|supervisor, or full
/// app roles (--role customs.reviewer,operator; repeatable), --enterprise USCC or --institution ID
/// (registered in the caller directory), --subject S, --app (an app-only token, as a machine client
/// gets), --hours N. Unknown departments, roles and options are refused, never guessed.
/// </summary>
public static class TokenCommand
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromHours(12);
    private static readonly string[] Flags = ["--app"];
    private static readonly string[] Options =
        ["--department", "--role", "--enterprise", "--uscc", "--institution", "--subject", "--hours", "--azurite-data"];

    /// <summary>The departments of the memorandum catalog, the only ones a staff role can name.</summary>
    public static IReadOnlySet<string> KnownDepartments(MemorandumCatalog catalog) => catalog.Memoranda
        .SelectMany(m => m.Departments.Select(d => d.Department))
        .Append(ReviewNames.RepairDepartment)
        .ToHashSet(StringComparer.Ordinal);

    public static (TokenRequest? Request, string? Error) Parse(IReadOnlyList<string> args, IReadOnlySet<string> departments)
    {
        var values = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var app = false;
        for (var i = 0; i < args.Count; i++)
        {
            if (Flags.Contains(args[i]))
            {
                app = true;
                continue;
            }

            if (!Options.Contains(args[i]))
            {
                return Refuse($"未知参数 '{args[i]}' / unknown argument '{args[i]}'; options: {string.Join(' ', Options.Concat(Flags))}");
            }

            if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal) || args[i + 1].Trim().Length == 0)
            {
                return Refuse($"参数 {args[i]} 缺少取值 / {args[i]} needs a value");
            }

            (values.TryGetValue(args[i], out var list) ? list : values[args[i]] = []).Add(args[++i].Trim());
        }

        string? Single(string option) => values.TryGetValue(option, out var list) ? list[^1] : null;
        var staffDepartments = values.GetValueOrDefault("--department") ?? [];
        if (staffDepartments.FirstOrDefault(d => !departments.Contains(d)) is { } unknown)
        {
            return Refuse($"未知部门 '{unknown}' / unknown department '{unknown}'; known: {string.Join(", ", departments.Order())}");
        }

        var named = (values.GetValueOrDefault("--role") ?? []).SelectMany(r => r.Split(',', StringSplitOptions.TrimEntries)).ToList();
        var shortRoles = named.Where(r => r is Roles.Reviewer or Roles.Supervisor).ToList();
        if (staffDepartments.Count > 0 && shortRoles.Count == 0)
        {
            shortRoles.Add(Roles.Reviewer);
        }
        else if (staffDepartments.Count == 0 && shortRoles.Count > 0)
        {
            return Refuse(
                $"角色 '{shortRoles[0]}' 须配合 --department / role '{shortRoles[0]}' needs --department, "
                + $"or name it in full (customs.{shortRoles[0]})");
        }

        var roles = staffDepartments.SelectMany(d => shortRoles.Select(r => $"{d}.{r}"))
            .Concat(named.Where(r => r is not (Roles.Reviewer or Roles.Supervisor)))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (roles.FirstOrDefault(r => !IsKnownRole(r, departments)) is { } badRole)
        {
            return Refuse(
                $"未知角色 '{badRole}' / unknown role '{badRole}'; known: {{department}}.reviewer, {{department}}.supervisor, "
                + $"{Roles.CaseOwner}, {Roles.Operator}, {Roles.Auditor}");
        }

        var uscc = Single("--enterprise") ?? Single("--uscc");
        var institution = Single("--institution");
        var subject = Single("--subject") ?? (uscc is not null ? $"enterprise-{uscc}"
            : institution is not null ? $"institution-{institution}"
            : roles.Count > 0 ? $"local-{string.Join('_', roles)}" : null);
        if (subject is null)
        {
            return Refuse("令牌须有角色或所属企业/机构 / give a role (--department, --role) or --enterprise / --institution");
        }

        if (!DirectoryEntry.IsSubject(subject))
        {
            return Refuse($"主体标识无效 / --subject must be 1-{DirectoryEntry.MaxSubjectLength} letters, digits or . _ : @ -");
        }

        var entry = uscc is null && institution is null ? null : new DirectoryEntry(subject, uscc, institution);
        if (entry?.Problem() is { } problem)
        {
            return Refuse(problem);
        }

        var hours = Single("--hours");
        if (hours is not null
            && (!double.TryParse(hours, NumberStyles.Float, CultureInfo.InvariantCulture, out var h) || h is <= 0 or > 24))
        {
            return Refuse("--hours 须在 0 到 24 之间 / --hours must be more than 0 and at most 24 (tokens valid longer are refused)");
        }

        var lifetime = hours is null ? DefaultLifetime : TimeSpan.FromHours(double.Parse(hours, CultureInfo.InvariantCulture));
        return (new TokenRequest(subject, roles, app, entry, lifetime), null);
    }

    /// <summary>{department}.reviewer|supervisor of a catalog department, the case owner, operator or auditor.</summary>
    public static bool IsKnownRole(string role, IReadOnlySet<string> departments)
    {
        if (role is Roles.CaseOwner or Roles.Operator or Roles.Auditor)
        {
            return true;
        }

        var dot = role.LastIndexOf('.');
        return dot > 0 && departments.Contains(role[..dot]) && role[(dot + 1)..] is Roles.Reviewer or Roles.Supervisor;
    }

    private static (TokenRequest?, string?) Refuse(string error) => (null, error);
}
