using System.Diagnostics;

namespace Supervision.LocalHost.Tooling;

/// <summary>Installing Azurite from package.json, once per checkout.</summary>
public sealed partial class AzuriteProcess
{
    /// <summary>
    /// Runs <c>npm ci</c> once per checkout. npm writes <c>node_modules/.package-lock.json</c> last,
    /// so its presence means a finished install (azurite.js alone can exist before its dependencies
    /// do). Test assemblies run in parallel processes, so the install is serialised by a lock file (git-ignored, left in place).
    /// </summary>
    private static async Task EnsureInstalledAsync(string repositoryRoot, TextWriter log, CancellationToken cancellationToken)
    {
        var finished = Path.Combine(repositoryRoot, "node_modules", ".package-lock.json");
        if (File.Exists(finished))
        {
            return;
        }

        await using var installLock = await LockAsync(Path.Combine(repositoryRoot, ".azurite-install.lock"), cancellationToken);
        if (!File.Exists(finished))
        {
            log.WriteLine("[azurite] not installed yet: running npm ci (once)");
            await RunAsync("npm", "ci --no-audit --no-fund", repositoryRoot, log, cancellationToken);
        }
    }

    private static async Task<FileStream> LockAsync(string path, CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
            }
        }
    }

    private static async Task RunAsync(
        string file, string arguments, string workingDirectory, TextWriter log, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = workingDirectory, UseShellExecute = false };
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {arguments}' failed with exit code {process.ExitCode}");
        }

        log.WriteLine($"[azurite] '{file} {arguments}' done");
    }
}
