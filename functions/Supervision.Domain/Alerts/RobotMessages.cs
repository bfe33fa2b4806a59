using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Supervision.Domain.Alerts;

/// <summary>
/// Alerts in the message formats regulators' chat robots accept: DingTalk and WeCom (企业微信)
/// group robots take markdown, Microsoft Teams incoming webhooks take an Adaptive Card. E-mail
/// gets a subject and a plain-text body.
/// </summary>
public static class RobotMessages
{
    public static string Title(Alert alert) => alert.Kind switch
    {
        AlertKind.EnterpriseFlagged => "企业触发联合惩戒审查 / Enterprise flagged for joint review",
        AlertKind.DecisionDue => "待部门审查决定 / Decision due",
        AlertKind.Escalated => "审查逾期已上报 / Review overdue, escalated",
        AlertKind.MeasuresApplied => "联合惩戒措施已实施 / Measures applied",
        AlertKind.MeasuresLifted => "惩戒措施已解除 / Measures lifted",
        AlertKind.ObjectionReceived => "收到企业异议 / Objection received",
        _ => alert.Kind.ToString(),
    };

    /// <summary>DingTalk group robot: {"msgtype":"markdown","markdown":{"title","text"}}.</summary>
    public static string DingTalk(Alert alert) => new JsonObject
    {
        ["msgtype"] = "markdown",
        ["markdown"] = new JsonObject { ["title"] = Title(alert), ["text"] = Markdown(alert) },
    }.ToJsonString();

    /// <summary>
    /// DingTalk's signed-robot query: timestamp in milliseconds and the base64 HMAC-SHA256 of
    /// "{timestamp}\n{secret}" keyed with the secret, URL-encoded.
    /// </summary>
    public static string DingTalkSignatureQuery(string secret, DateTimeOffset at)
    {
        var timestamp = at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}\n{secret}"));
        return $"timestamp={timestamp}&sign={Uri.EscapeDataString(Convert.ToBase64String(mac))}";
    }

    /// <summary>WeCom group robot: {"msgtype":"markdown","markdown":{"content"}}.</summary>
    public static string WeCom(Alert alert) => new JsonObject
    {
        ["msgtype"] = "markdown",
        ["markdown"] = new JsonObject { ["content"] = Markdown(alert) },
    }.ToJsonString();

    /// <summary>Teams incoming webhook: a message carrying one Adaptive Card.</summary>
    public static string Teams(Alert alert) => new JsonObject
    {
        ["type"] = "message",
        ["attachments"] = new JsonArray(new JsonObject
        {
            ["contentType"] = "application/vnd.microsoft.card.adaptive",
            ["content"] = new JsonObject
            {
                ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
                ["type"] = "AdaptiveCard",
                ["version"] = "1.4",
                ["body"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "TextBlock",
                        ["text"] = Title(alert),
                        ["weight"] = "Bolder",
                        ["size"] = "Medium",
                        ["wrap"] = true,
                    },
                    new JsonObject { ["type"] = "TextBlock", ["text"] = alert.Text, ["wrap"] = true },
                    new JsonObject
                    {
                        ["type"] = "FactSet",
                        ["facts"] = new JsonArray(
                            new JsonObject { ["title"] = "USCC", ["value"] = alert.Uscc },
                            new JsonObject { ["title"] = "Case", ["value"] = alert.CaseId ?? "-" },
                            new JsonObject { ["title"] = "At", ["value"] = alert.CreatedAt.ToString("u", CultureInfo.InvariantCulture) }),
                    }),
            },
        }),
    }.ToJsonString();

    public static (string Subject, string Body) Email(Alert alert) =>
        ($"[Supervision] {Title(alert)}: {alert.Uscc}",
         $"{alert.Text}\n\nUSCC: {alert.Uscc}\nCase: {alert.CaseId ?? "-"}\n"
         + $"At: {alert.CreatedAt.ToString("u", CultureInfo.InvariantCulture)}\nAlert: {alert.AlertId}\n");

    private static string Markdown(Alert alert) =>
        $"### {Title(alert)}\n\n{alert.Text}\n\n- USCC: {alert.Uscc}\n- Case: {alert.CaseId ?? "-"}\n"
        + $"- At: {alert.CreatedAt.ToString("u", CultureInfo.InvariantCulture)}";
}
