using Supervision.LocalHost.Tooling;
using Supervision.Trainer;
using Xunit;

namespace Supervision.Testing;

/// <summary>
/// A real Azurite, in memory on free ports, started for a test class and stopped after it.
/// Installs Azurite with `npm ci` first if the checkout has no node_modules yet.
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? azurite;

    public string ConnectionString => azurite?.ConnectionString ?? throw new InvalidOperationException("Azurite has not started");

    public async Task InitializeAsync() =>
        azurite = await AzuriteProcess.StartOnFreePortsAsync(ModelPaths.FindRepositoryRoot(), TextWriter.Null);

    public async Task DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}
