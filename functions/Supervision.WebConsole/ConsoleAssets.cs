using System.Collections.Frozen;
using System.Reflection;

namespace Supervision.WebConsole;

/// <summary>One file of the console as served: its bytes and media type.</summary>
public sealed record ConsoleFile(string Path, byte[] Bytes, string ContentType);

/// <summary>
/// The console's files, embedded in this assembly at build time (pages from wwwroot, libraries from
/// node_modules), looked up by the path under <see cref="ConsolePaths.Root"/>. Nothing is read from
/// disk at run time, so a deployed app serves exactly what it was built with.
/// </summary>
public static class ConsoleAssets
{
    private const string ResourcePrefix = "console/";

    private static readonly FrozenDictionary<string, string> MediaTypes = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".md"] = "text/plain; charset=utf-8",
        [".txt"] = "text/plain; charset=utf-8",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly Lazy<FrozenDictionary<string, ConsoleFile>> Files = new(Load);

    /// <summary>Every path served, e.g. "index.html", "js/app.js", "lib/chart.umd.min.js".</summary>
    public static IEnumerable<string> Paths => Files.Value.Keys;

    /// <summary>
    /// The file at <paramref name="path"/> (relative to the console root; empty means the app page), or
    /// null. The development sign-in page exists only where development sign-in is on.
    /// </summary>
    public static ConsoleFile? Find(string? path, bool developmentSignIn)
    {
        var relative = string.IsNullOrEmpty(path) || path == "/" ? ConsolePaths.AppPage : path.TrimStart('/');
        if (relative == ConsolePaths.DevelopmentSignInPage && !developmentSignIn)
        {
            return null;
        }

        return Files.Value.GetValueOrDefault(relative);
    }

    private static FrozenDictionary<string, ConsoleFile> Load()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Select(name => Read(assembly, name))
            .ToFrozenDictionary(file => file.Path, StringComparer.Ordinal);
    }

    private static ConsoleFile Read(Assembly assembly, string resource)
    {
        // Resource names keep the folder separator of the machine that built them.
        var path = resource[ResourcePrefix.Length..].Replace('\\', '/');
        using var stream = assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded console file {resource} cannot be read");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        var type = MediaTypes.GetValueOrDefault(System.IO.Path.GetExtension(path), "application/octet-stream");
        return new ConsoleFile(path, copy.ToArray(), type);
    }
}
