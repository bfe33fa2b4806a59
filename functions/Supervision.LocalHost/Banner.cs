using System.Globalization;
using System.Text;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.LocalHost.Demo;
using Supervision.LocalHost.Identity;
using Supervision.WebConsole;

namespace Supervision.LocalHost;

/// <summary>
/// What to do next, printed once the local host is up: the tokens a newcomer needs as shell
/// variables (a JWT is several hundred characters; printed once each, not in every curl line), then
/// every demo case with the lines that decide it.
/// </summary>
internal static class Banner
{
    private const string Rule = "================================================================================";
    private const string Json = "-H 'Content-Type: application/json'";

    public static string Text(int port, IReadOnlyDictionary<string, string?> settings, LocalIssuer issuer)
    {
        var api = $"http://127.0.0.1:{port}/api";
        var catalog = MemorandumCatalog.LoadEmbedded();
        var cases = DemoCases.Expected
            .Select(c => (Case: c, Memorandum: catalog.Memoranda.Single(m => m.Id == c.MemorandumId)))
            .ToList();
        var departments = cases.SelectMany(c => c.Memorandum.Departments.Select(d => d.Department))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();
        var now = DateTimeOffset.UtcNow;
        string Token(string subject, IReadOnlyList<string> roles) =>
            issuer.IssueForUser(subject, roles, TokenCommand.DefaultLifetime, now);
        var hours = TokenCommand.DefaultLifetime.TotalHours.ToString("0", CultureInfo.InvariantCulture);

        var text = new StringBuilder();
        void Line(string line = "") => text.AppendLine(line);
        Line();
        Line(Rule);
        Line(" Supervision 本地主机已启动 / local host is running");
        Line($"   接口 API         {api}   (运行状况 health: {api}/health)");
        if (settings.GetValueOrDefault(ConsoleSignIn.DevelopmentKeySetting) is { Length: > 0 } consoleKey)
        {
            Line($"   控制台 console   http://127.0.0.1:{port}/console/signin.html#key={consoleKey}");
            Line("                    (开发登录：选择身份 development sign-in: pick who you are)");
        }

        Line($"   订阅源 feeds     '{settings.GetValueOrDefault("FEED_PULL_SCHEDULE")}' from http://127.0.0.1:{port}/demo/feeds/");
        Line($"   收件箱 inbox     Blob 'inbox/demo-credit-bureau/' (Azurite :10000), "
            + $"'{settings.GetValueOrDefault("INBOX_SCAN_SCHEDULE")}'");
        Line($"   决定期限 window  {settings.GetValueOrDefault("Reviews:DecisionWindow")} per department; then overdue and escalated");
        Line();
        Line($" 1) 令牌：粘贴到终端 / tokens: paste into your shell (valid {hours} h)");
        Line($"   export REGULATOR='{Token("demo-regulator", [Roles.CaseOwner, Roles.Operator, Roles.Auditor])}'");
        Line("      # 市场监管部门：案件负责人、运维、审计 / market regulator: case owner, operator, auditor");
        foreach (var department in departments)
        {
            Line($"   export {VariableOf(department)}='{Token($"demo-{department}-reviewer", [Roles.ReviewerOf(department)])}'");
            Line($"      # {department} 审查员 / reviewer");
        }

        foreach (var (uscc, name) in cases.Select(c => (c.Case.Uscc, c.Case.EnterpriseName)).Distinct())
        {
            Line($"   export {EnterpriseVariableOf(uscc)}='{Token(DemoCases.EnterpriseSubject(uscc), [])}'");
            Line($"      # 企业 enterprise {name} {uscc}");
        }

        Line();
        Line(" 2) 演示案件（启动后约一分钟内立案）/ demo cases (opened within about a minute):");
        var letter = 'a';
        foreach (var (demo, memorandum) in cases)
        {
            var caseId = ReviewNames.CaseIdFor(memorandum.Id, demo.Uscc);
            Line();
            Line($"   [{letter++}] {caseId}");
            Line($"       {demo.EnterpriseName} · {memorandum.Title}");
            Line($"       查看 see:  curl -s -H \"Authorization: Bearer $REGULATOR\" {api}/reviews/{caseId}");
            foreach (var department in memorandum.Departments.Select(d => d.Department))
            {
                Line($"       {department} 批准 approve:");
                Line($"         curl -s -X POST -H \"Authorization: Bearer ${VariableOf(department)}\" {Json} \\");
                var decision = $"{api}/reviews/{caseId}/departments/{department}/decision";
                Line($"           -d '{{\"verdict\":\"approve\",\"comment\":\"同意\"}}' {decision}");
            }

            if (memorandum.Kind == MemorandumKind.Punishment)
            {
                Line("       企业异议 the enterprise objects (once the measures are announced):");
                Line($"         curl -s -X POST -H \"Authorization: Bearer ${EnterpriseVariableOf(demo.Uscc)}\" {Json} \\");
                Line($"           -d '{{\"comment\":\"申请复核 please review\"}}' {api}/reviews/{caseId}/objection");
            }
        }

        Line();
        Line($" 信用画像 portrait: curl -s -H \"Authorization: Bearer $REGULATOR\" {api}/portraits/{DemoCases.Huaxia}");
        Line($" 数据源 sources:   curl -s -H \"Authorization: Bearer $REGULATOR\" '{api}/operator/sources'");
        Line(" 更多令牌 more tokens: dotnet run --project functions/Supervision.LocalHost -- token --department tax --role supervisor");
        Line(" 告警 Alerts are printed below as the demo webhook receives them (signature checked).");
        Line(" Ctrl+C 停止 / stop; state stays in .azurite/ and pending reviews resume on the next run.");
        Line(Rule);
        return text.ToString();
    }

    /// <summary>A department's shell variable: "inspection-quarantine" → INSPECTION_QUARANTINE.</summary>
    internal static string VariableOf(string department) => department.ToUpperInvariant().Replace('-', '_');

    internal static string EnterpriseVariableOf(string uscc) => $"ENTERPRISE_{uscc}";
}
