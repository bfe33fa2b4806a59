using System.Text;

namespace Supervision.WebConsole;

/// <summary>What a host answers for one console path: a status, the file, and the headers to send with it.</summary>
public sealed record ConsoleReply(int Status, ConsoleFile File)
{
    public IReadOnlyList<KeyValuePair<string, string>> Headers => ConsoleHeaders.For(File);

    private static readonly ConsoleFile NotFound = new(
        "not-found.txt",
        Encoding.UTF8.GetBytes("未找到此页面 Not found\n"),
        "text/plain; charset=utf-8");

    /// <summary>The file at <paramref name="path"/> under /console/, or config.json for <paramref name="signIn"/>.</summary>
    public static ConsoleReply For(string? path, ConsoleSignIn signIn)
    {
        if (path == ConsolePaths.Configuration)
        {
            return new ConsoleReply(200, new ConsoleFile(path, Encoding.UTF8.GetBytes(signIn.ToJson()), "application/json; charset=utf-8"));
        }

        return ConsoleAssets.Find(path, signIn.IsDevelopment) is { } file
            ? new ConsoleReply(200, file)
            : new ConsoleReply(404, NotFound);
    }
}
