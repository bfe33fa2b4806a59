using System.Security.Cryptography;
using System.Text.Json;

namespace Supervision.LocalHost;

/// <summary>
/// The settings the Functions app reads from local.settings.json "Values", read the same way
/// here (falling back to the tracked sample), plus development secrets generated on first run
/// into the git-ignored .local folder.
/// </summary>
public static class LocalSettings
{
    public static Dictionary<string, string?> Load(string repositoryRoot)
    {
        var file = Path.Combine(repositoryRoot, "local.settings.json");
        if (!File.Exists(file))
        {
            file = Path.Combine(repositoryRoot, "local.settings.sample.json");
        }

        using var document = JsonDocument.Parse(
            File.ReadAllBytes(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var value in document.RootElement.GetProperty("Values").EnumerateObject())
        {
            // Functions reads "Section__Key" app settings as configuration "Section:Key".
            settings[value.Name.Replace("__", ":", StringComparison.Ordinal)] = value.Value.ValueKind == JsonValueKind.String
                ? value.Value.GetString()
                : value.Value.GetRawText();
        }

        return settings;
    }

    /// <summary>Development secrets: made once per checkout, never committed (.local is git-ignored).</summary>
    public static DevelopmentSecrets LoadOrCreateSecrets(string repositoryRoot)
    {
        var directory = Path.Combine(repositoryRoot, ".local");
        var file = Path.Combine(directory, "dev-secrets.json");
        if (File.Exists(file))
        {
            return JsonSerializer.Deserialize<DevelopmentSecrets>(File.ReadAllText(file))
                ?? throw new InvalidDataException($"{file} is empty; delete it to make new secrets");
        }

        Directory.CreateDirectory(directory);
        var secrets = new DevelopmentSecrets(
            Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)), Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        File.WriteAllText(file, JsonSerializer.Serialize(secrets));
        return secrets;
    }
}

/// <summary>The key that signs development tokens and the demo webhook's shared secret.</summary>
public sealed record DevelopmentSecrets(string TokenKey, string WebhookSecret);
