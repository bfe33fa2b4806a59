namespace Supervision.Infrastructure.Storage;

/// <summary>
/// Where received bytes are kept in the raw container: addressed by their SHA-256, so the same
/// bytes land once and anything that cites a hash (a signal, a case file) can name their blob.
/// </summary>
public static class RawBlobs
{
    /// <summary>The blob name within <see cref="StorageNames.Containers.Raw"/>.</summary>
    public static string NameOf(string sha256) => $"sha256/{sha256[..2]}/{sha256}";

    /// <summary>The blob's path with its container, as a case file cites it.</summary>
    public static string PathOf(string sha256) => $"{StorageNames.Containers.Raw}/{NameOf(sha256)}";
}
