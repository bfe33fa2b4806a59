using Microsoft.Playwright;

namespace Supervision.WebConsole.Tests;

/// <summary>
/// Debian's chromium, launched by Playwright's driver. Playwright's own browser download is never
/// used (it fails on these machines): the executable comes from CHROMIUM_PATH, else /usr/bin/chromium,
/// which `.ci/run` installs with apt-get together with the CJK fonts.
/// </summary>
public static class Chromium
{
    public const string PathVariable = "CHROMIUM_PATH";
    public const string DefaultPath = "/usr/bin/chromium";

    public static string ExecutablePath =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } configured ? configured : DefaultPath;

    /// <summary>Headless chromium; a missing executable fails the test run with what to install, never a skip.</summary>
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright, string? executablePath = null)
    {
        var path = executablePath ?? ExecutablePath;
        if (!File.Exists(path))
        {
            throw new InvalidOperationException(
                $"chromium not found at {path}. The browser tests drive Debian's chromium: install it with "
                + "`apt-get update && apt-get install -y chromium fonts-noto-cjk` (.ci/run does), or set "
                + $"{PathVariable} to a chromium executable. Never `playwright install`: it downloads a browser.");
        }

        return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = path, Headless = true });
    }
}
