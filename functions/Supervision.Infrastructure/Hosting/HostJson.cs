using System.Globalization;
using System.Text.Json;

namespace Supervision.Infrastructure.Hosting;

/// <summary>The queue settings of host.json, which the local host honours as the Functions host does.</summary>
public sealed record QueueSettings(int MaxDequeueCount, TimeSpan VisibilityTimeout, int BatchSize, TimeSpan MaxPollingInterval)
{
    /// <summary>The Functions host's defaults for anything host.json leaves out.</summary>
    public static readonly QueueSettings Defaults = new(5, TimeSpan.Zero, 16, TimeSpan.FromMinutes(1));
}

/// <summary>Reads host.json (the Functions app's, at the repository root).</summary>
public static class HostJson
{
    public static QueueSettings ReadQueueSettings(string path)
    {
        using var document = JsonDocument.Parse(
            File.ReadAllBytes(path),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("extensions", out var extensions) || !extensions.TryGetProperty("queues", out var queues))
        {
            return QueueSettings.Defaults;
        }

        int Int(string name, int fallback) => queues.TryGetProperty(name, out var v) ? v.GetInt32() : fallback;
        TimeSpan Span(string name, TimeSpan fallback) =>
            queues.TryGetProperty(name, out var v) ? TimeSpan.Parse(v.GetString()!, CultureInfo.InvariantCulture) : fallback;

        var defaults = QueueSettings.Defaults;
        return new QueueSettings(
            Int("maxDequeueCount", defaults.MaxDequeueCount),
            Span("visibilityTimeout", defaults.VisibilityTimeout),
            Int("batchSize", defaults.BatchSize),
            Span("maxPollingInterval", defaults.MaxPollingInterval));
    }
}
