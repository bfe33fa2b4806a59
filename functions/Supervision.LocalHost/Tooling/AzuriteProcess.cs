using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Supervision.LocalHost.Tooling;

/// <summary>
/// Runs Azurite (the npm package pinned in package.json) as a child process, installing it with
/// `npm ci` first when node_modules lacks it. Used by the run command and by the tests.
/// </summary>
public sealed class AzuriteProcess : IAsyncDisposable
{
    // Azurite's published development account; a well-known constant, not a secret.
    private const string AccountName = "devstoreaccount1";
    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process? process;

    private AzuriteProcess(Process? process, int blobPort, int queuePort, int tablePort)
    {
        this.process = process;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
    }

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

        var script = Path.Combine(repositoryRoot, "node_modules", "azurite", "dist", "src", "azurite.js");
        await EnsureInstalledAsync(repositoryRoot, log, cancellationToken);

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

        var azurite = new AzuriteProcess(process, blobPort, queuePort, tablePort);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(IsListening(blobPort) && IsListening(queuePort) && IsListening(tablePort)))
        {
            if (process.HasExited || DateTime.UtcNow > deadline)
            {
                await azurite.DisposeAsync();
                string detail;
                lock (errors)
                {
                    detail = errors.ToString();
                }

                throw new InvalidOperationException($"Azurite did not start on ports {blobPort}, {queuePort}, {tablePort}: {detail}");
            }

            await Task.Delay(100, cancellationToken);
        }

        log.WriteLine(
            $"[azurite] listening on 127.0.0.1:{blobPort} (blob), {queuePort} (queue), {tablePort} (table)"
            + (dataDirectory is null ? " in memory" : $", data in {dataDirectory}"));
        return azurite;
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

    /// <summary>Distinct free ports: every listener stays open until all are chosen, so none is handed out twice.</summary>
    public static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToList();
        try
        {
            listeners.ForEach(l => l.Start());
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is null)
        {
            return;
        }

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
