using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using Supervision.Domain.Alerts;
using Supervision.Domain.Ingestion;

namespace Supervision.LocalHost.Demo;

/// <summary>
/// What the demo needs without internet: a publisher serving the sample feeds in functions/demo
/// (dates rendered relative to now, so the news is always recent), and a webhook receiver that
/// checks the alerts' signatures and prints them.
/// </summary>
public static partial class DemoEndpoints
{
    public static WebApplication MapDemo(this WebApplication app, byte[] webhookSecret)
    {
        var feeds = Path.Combine(AppContext.BaseDirectory, "Demo", "feeds");
        app.MapGet("/demo/feeds/{name}", (string name, HttpContext context, TimeProvider time) =>
        {
            if (name.IndexOfAny(['/', '\\']) >= 0
                || !name.EndsWith(".xml", StringComparison.Ordinal)
                || !File.Exists(Path.Combine(feeds, name)))
            {
                return Results.NotFound();
            }

            var body = Render(File.ReadAllText(Path.Combine(feeds, name)), time.GetUtcNow());
            var etag = $"\"{ContentHash.Sha256Hex(body)[..16]}\"";
            if (context.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                return Results.StatusCode(StatusCodes.Status304NotModified);
            }

            context.Response.Headers.ETag = etag;
            return Results.Text(body, "application/xml", Encoding.UTF8);
        });

        app.MapPost("/demo/webhook", async (HttpRequest request, TimeProvider time, ILoggerFactory loggers) =>
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            var body = await reader.ReadToEndAsync();
            var signature = request.Headers[WebhookSignature.HeaderName].ToString();
            var logger = loggers.CreateLogger("Supervision.Demo.Webhook");
            if (!WebhookSignature.Verify(webhookSecret, body, signature, time.GetUtcNow(), TimeSpan.FromMinutes(5)))
            {
                logger.LogWarning("Webhook call with a bad or stale signature refused");
                return Results.Unauthorized();
            }

            logger.LogInformation("ALERT (signature verified) {Body}", body);
            return Results.NoContent();
        });
        return app;
    }

    /// <summary>
    /// Replaces {{ago:ISO-8601 duration:rfc822|rfc3339}} with that long before now, whole hours
    /// only, so the bytes (and the ETag) change at most hourly.
    /// </summary>
    internal static string Render(string template, DateTimeOffset now)
    {
        var hour = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        return Placeholder().Replace(template, match =>
        {
            var at = hour - XmlConvert.ToTimeSpan(match.Groups["ago"].Value);
            return match.Groups["format"].Value == "rfc822"
                ? at.ToString("r", CultureInfo.InvariantCulture)
                : at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        });
    }

    [GeneratedRegex(@"\{\{ago:(?<ago>P[0-9A-Z]+):(?<format>rfc822|rfc3339)\}\}")]
    private static partial Regex Placeholder();
}
