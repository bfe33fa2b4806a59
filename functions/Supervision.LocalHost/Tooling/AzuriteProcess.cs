using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Supervision.LocalHost.Tooling;

/// <summary>
/// Runs Azurite (the npm package pinned in package.json) as a child process, installing it with
/// `npm ci` first when node_modules lacks it. Used by the run command and by the tests.
/// </summary>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    // Azurite's published development account; a well-known constant, not a secret.
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly string? repositoryRoot;
    private readonly string? dataDirectory;
    private readonly TextWriter log;
    private Process? process;
    private bool disposed;

    private AzuriteProcess(Process? process, int blobPort, int queuePort, int tablePort)
        : this(process, null, null, blobPort, queuePort, tablePort, TextWriter.Null)
    {
    }

    private AzuriteProcess(
        Process? process, string? repositoryRoot, string? dataDirectory, int blobPort, int queuePort, int tablePort, TextWriter log)
    {
        this.process = process;
        this.repositoryRoot = repositoryRoot;
        this.dataDirectory = dataDirectory;
        this.log = log;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

    /// <summary>The Node process's id while this object runs one.</summary>
    public int? ProcessId => process?.Id;

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>False when an Azurite that was already running is being reused.</summary>
    public bool OwnsProcess => process is not null;

    public string ConnectionString => ConnectionStringFor(BlobPort, QueuePort, TablePort);

    /// <summary>The connection string of an Azurite on these loopback ports, whether or not one is running there.</summary>
    public static string ConnectionStringFor(int blobPort, int queuePort, int tablePort) => string.Create(CultureInfo.InvariantCulture,
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://127.0.0.1:{blobPort}/{AccountName};" +
        $"QueueEndpoint=http://127.0.0.1:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://127.0.0.1:{tablePort}/{AccountName};");

    /// <summary>Starts Azurite on the given ports, or reuses one already listening on all three.</summary>
    public static async Task<AzuriteProcess> StartAsync(
        string repositoryRoot,
        string? dataDirectory,
        int blobPort,
        int queuePort,
        int tablePort,
        TextWriter log,
        CancellationToken cancellationToken = default)
    {
        if (IsListening(blobPort) && IsListening(queuePort) && IsListening(tablePort))
        {
            log.WriteLine($"[azurite] reusing the Azurite already listening on {blobPort}-{tablePort}");
            return new AzuriteProcess(null, blobPort, queuePort, tablePort);
        }

        await EnsureInstalledAsync(repositoryRoot, log, cancellationToken);
        var process = await LaunchAsync(repositoryRoot, dataDirectory, blobPort, queuePort, tablePort, cancellationToken);
        log.WriteLine(
            $"[azurite] listening on 127.0.0.1:{blobPort} (blob), {queuePort} (queue), {tablePort} (table)"
            + (dataDirectory is null ? " in memory" : $", data in {dataDirectory}"));
        return new AzuriteProcess(process, repositoryRoot, dataDirectory, blobPort, queuePort, tablePort, log);
    }

    /// <summary>
    /// Waits until the Azurite this object started exits by itself (killed, crashed), starts it again
    /// on the same ports and data, and says so on its log. Returns when it runs again, or at once
    /// when this object owns no process or is disposed. A start that fails is tried again.
    /// </summary>
    public async Task RestartWhenExitedAsync(CancellationToken cancellationToken)
    {
        if (process is not { } running || disposed)
        {
            return;
        }

        await running.WaitForExitAsync(cancellationToken);
        if (disposed)
        {
            return;
        }

        log.WriteLine(
            $"[azurite] Azurite 意外退出（退出码 {running.ExitCode}），正在重新启动 / "
            + $"Azurite exited unexpectedly (exit code {running.ExitCode}); restarting it");
        process = null;
        running.Dispose();
        for (var attempt = 1; !disposed; attempt++)
        {
            try
            {
                var restarted = await LaunchAsync(repositoryRoot!, dataDirectory, BlobPort, QueuePort, TablePort, cancellationToken);
                process = restarted;
                if (disposed)
                {
                    await StopAsync(restarted);
                    return;
                }

                log.WriteLine(
                    $"[azurite] Azurite 已重新启动（第 {attempt} 次尝试），主机自动重连 / "
                    + $"Azurite restarted (attempt {attempt}) on 127.0.0.1:{BlobPort}-{TablePort}; the host reconnects by itself");
                return;
            }
            catch (InvalidOperationException e)
            {
                log.WriteLine($"[azurite] 重新启动失败，5 秒后重试 / restart failed, trying again in 5 s: {e.Message}");
                await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
            }
        }
    }

    /// <summary>Starts the Node process and waits until Azurite listens on all three ports.</summary>
    private static async Task<Process> LaunchAsync(
        string repositoryRoot, string? dataDirectory, int blobPort, int queuePort, int tablePort, CancellationToken cancellationToken)
    {
        var script = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        var arguments = new List<string>
        {
            script, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--blobPort", blobPort.ToString(CultureInfo.InvariantCulture),
            "--queueHost", "127.0.0.1", "--queuePort", queuePort.ToString(CultureInfo.InvariantCulture),
            "--tableHost", "127.0.0.1", "--tablePort", tablePort.ToString(CultureInfo.InvariantCulture),
        };
        if (dataDirectory is null)
        {
            arguments.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(dataDirectory);
            arguments.AddRange(["--location", dataDirectory]);
        }

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node for Azurite");
        var errors = new System.Text.StringBuilder();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (errors) { errors.AppendLine(e.Data); } } };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(IsListening(blobPort) && IsListening(queuePort) && IsListening(tablePort)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await StopAsync(process);
                string detail;
                lock (errors)
                {
                    detail = errors.ToString();
                }

                throw new InvalidOperationException($"Azurite did not start on ports {blobPort}, {queuePort}, {tablePort}: {detail}");
            }

            await Task.Delay(100, cancellationToken);
        }

        return process;
    }

    /// <summary>Starts Azurite in memory on three free ports: for tests.</summary>
    public static async Task<AzuriteProcess> StartOnFreePortsAsync(
        string repositoryRoot, TextWriter log, CancellationToken cancellationToken = default)
    {
        // A port found free may be taken by another process before Azurite binds it (test assemblies
        // start Azurites in parallel), so a start that fails is tried again on fresh ports.
        for (var attempt = 1; ; attempt++)
        {
            var ports = FreePorts(3);
            try
            {
                return await StartAsync(repositoryRoot, null, ports[0], ports[1], ports[2], log, cancellationToken);
            }
            catch (InvalidOperationException e) when (attempt < 3)
            {
                log.WriteLine($"[azurite] {e.Message}; trying other ports");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        disposed = true;
        if (Interlocked.Exchange(ref process, null) is { } running)
        {
            await StopAsync(running);
        }
    }

    private static async Task StopAsync(Process process)
    {
        if (!process.HasExited)
        {
            // SIGTERM first: Azurite then saves its database, and queues, tables and blobs
            // created just before the stop are there when it starts again. Kill only if it hangs.
            if (!OperatingSystem.IsWindows())
            {
                using var terminate = Process.Start(new ProcessStartInfo("kill")
                {
                    ArgumentList = { "-TERM", process.Id.ToString(CultureInfo.InvariantCulture) },
                    UseShellExecute = false,
                });
                if (terminate is not null)
                {
                    await terminate.WaitForExitAsync();
                }
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
    }

    private static bool IsListening(int port)
    {
        try
        {
            using var client = new TcpClient();
            return client.ConnectAsync(IPAddress.Loopback, port).Wait(TimeSpan.FromMilliseconds(300)) && client.Connected;
        }
        catch (AggregateException)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
