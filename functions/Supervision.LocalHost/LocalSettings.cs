using System.Security.Cryptography;
using System.Text.Json;
using Supervision.LocalHost.Identity;

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

    /// <summary>
    /// Development secrets: made once per checkout, never committed (.local is git-ignored), readable
    /// by the owner only. A file from before the local issuer (an HMAC "TokenKey") gets a signing key added.
    /// </summary>
    public static DevelopmentSecrets LoadOrCreateSecrets(string repositoryRoot)
    {
        var directory = Path.Combine(repositoryRoot, ".local");
        var file = Path.Combine(directory, "dev-secrets.json");
        var existing = File.Exists(file)
            ? JsonSerializer.Deserialize<StoredSecrets>(File.ReadAllText(file))
                ?? throw new InvalidDataException($"{file} is empty; delete it to make new secrets")
            : null;
        if (existing is { SigningKey: { Length: > 0 } signingKey, WebhookSecret: { Length: > 0 } webhookSecret })
        {
            return new DevelopmentSecrets(signingKey, webhookSecret);
        }

        var secrets = new DevelopmentSecrets(
            existing?.SigningKey is { Length: > 0 } key ? key : LocalIssuer.NewSigningKey(),
            existing?.WebhookSecret is { Length: > 0 } webhook ? webhook : Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        WriteOwnerOnly(directory, file, JsonSerializer.Serialize(secrets));
        return secrets;
    }

    private static void WriteOwnerOnly(string directory, string file, string text)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(file, text);
            return;
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Delete(file);

        // Created 600 from the start, so the key is never readable by others, not even for a moment.
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using var stream = new FileStream(file, options);
        using var writer = new StreamWriter(stream);
        writer.Write(text);
    }
}

/// <summary>The local issuer's private signing key (PKCS#8, base64) and the demo webhook's shared secret.</summary>
public sealed record DevelopmentSecrets(string SigningKey, string WebhookSecret);

/// <summary>The secrets file as read: either value may be missing in a file an older version wrote.</summary>
internal sealed record StoredSecrets(string? SigningKey, string? WebhookSecret);
