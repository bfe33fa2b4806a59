namespace Supervision.LocalHost.Tooling;

/// <summary>
/// Keeps the Azurite the local host started running: when it dies it is started again on the
/// same ports and data, and the console says so. An Azurite the host only reuses is left alone.
/// </summary>
public sealed class AzuriteWatchdog(AzuriteProcess azurite) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (azurite.ProcessId is not null && !stoppingToken.IsCancellationRequested)
        {
            await azurite.RestartWhenExitedAsync(stoppingToken);
        }
    }
}
