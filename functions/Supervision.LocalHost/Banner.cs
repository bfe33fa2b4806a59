using System.Globalization;
using System.Text;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.LocalHost.Identity;

namespace Supervision.LocalHost;

/// <summary>What to do next, printed once the local host is up.</summary>
internal static class Banner
{
    // The demo enterprise the sample feeds are about (functions/demo/enterprises.csv).
    private const string DemoUscc = "91330100D3M0000018";

    public static string Text(int port, IReadOnlyDictionary<string, string?> settings, LocalIssuer issuer)
    {
        var api = $"http://127.0.0.1:{port}/api";
        var catalog = MemorandumCatalog.LoadEmbedded();
        var memorandum = catalog.Memoranda.First(m => m.Kind == MemorandumKind.Punishment && m.Enabled);
        var caseId = ReviewNames.CaseIdFor(memorandum.Id, DemoUscc);
        var now = DateTimeOffset.UtcNow;
        var viewer = issuer.IssueForUser(
            "demo-regulator", [Roles.CaseOwner, Roles.Operator, Roles.Auditor], TokenCommand.DefaultLifetime, now);
        var feedSchedule = settings.GetValueOrDefault("FEED_PULL_SCHEDULE");
        var inboxSchedule = settings.GetValueOrDefault("INBOX_SCAN_SCHEDULE");
        var decisionWindow = settings.GetValueOrDefault("Reviews:DecisionWindow");

        var text = new StringBuilder();
        text.AppendLine()
            .AppendLine("================================================================================")
            .AppendLine(" Supervision local host is running")
            .AppendLine(CultureInfo.InvariantCulture, $"   API        {api}   (health: {api}/health)")
            .AppendLine(
                CultureInfo.InvariantCulture,
                $"   feeds      pulled on '{feedSchedule}' from the demo publisher at http://127.0.0.1:{port}/demo/feeds/")
            .AppendLine(
                CultureInfo.InvariantCulture,
                $"   inbox      files pushed to Blob 'inbox/demo-credit-bureau/' (Azurite, port 10000) are taken on '{inboxSchedule}'")
            .AppendLine(CultureInfo.InvariantCulture, $"   sources    curl -s -H 'Authorization: Bearer {viewer}' '{api}/operator/sources'")
            .AppendLine(
                CultureInfo.InvariantCulture,
                $"   decisions  each department has {decisionWindow} to decide; then it is recorded overdue and escalated")
            .AppendLine()
            .AppendLine(" Within a minute the demo enterprise is flagged and its joint review is pending:")
            .AppendLine(CultureInfo.InvariantCulture, $"   curl -s -H 'Authorization: Bearer {viewer}' '{api}/reviews?status=pending'")
            .AppendLine()
            .AppendLine(" Approve it, one department at a time (each token is that department's reviewer):");
        foreach (var department in memorandum.Departments.Select(d => d.Department))
        {
            var token = issuer.IssueForUser($"{department}-reviewer", [Roles.ReviewerOf(department)], TokenCommand.DefaultLifetime, now);
            text.AppendLine(
                    CultureInfo.InvariantCulture,
                    $"   curl -s -X POST -H 'Authorization: Bearer {token}' -H 'Content-Type: application/json' \\")
                .Append("        -d '{\"verdict\":\"approve\",\"comment\":\"confirmed\"}' ")
                .AppendLine(CultureInfo.InvariantCulture, $"{api}/reviews/{caseId}/departments/{department}/decision");
        }

        text.AppendLine()
            .AppendLine(" Then see the case, its measures and audit trail, and the portrait:")
            .AppendLine(CultureInfo.InvariantCulture, $"   curl -s -H 'Authorization: Bearer {viewer}' {api}/reviews/{caseId}")
            .AppendLine(CultureInfo.InvariantCulture, $"   curl -s -H 'Authorization: Bearer {viewer}' {api}/portraits/{DemoUscc}")
            .AppendLine(
                CultureInfo.InvariantCulture,
                $"   令牌 tokens  signed by the local issuer (http://127.0.0.1:{port}{LocalIssuer.MetadataPath}), valid "
                + $"{TokenCommand.DefaultLifetime.TotalHours:0} h; more: dotnet run --project functions/Supervision.LocalHost -- token")
            .AppendLine(" Alerts are printed below as the demo webhook receives them (signature checked).")
            .AppendLine(" Stop with Ctrl+C; state stays in .azurite/ and a pending review resumes on the next run.")
            .AppendLine("================================================================================");
        return text.ToString();
    }
}
