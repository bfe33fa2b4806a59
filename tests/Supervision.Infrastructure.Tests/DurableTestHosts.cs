using Microsoft.DurableTask;
using Microsoft.DurableTask.Testing;
using Supervision.LocalHost.Tooling;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// The in-process Durable Task test host on a port chosen like every other test port. Left to
/// itself it picks one at random in 30000–40000, inside Linux's ephemeral range, where an outgoing
/// connection of a parallel test can hold it first ("address already in use").
/// </summary>
public static class DurableTestHosts
{
    public static Task<DurableTaskTestHost> StartAsync(Action<DurableTaskRegistry> register) =>
        DurableTaskTestHost.StartAsync(register, new DurableTaskTestHostOptions { Port = AzuriteProcess.FreePort() });
}
