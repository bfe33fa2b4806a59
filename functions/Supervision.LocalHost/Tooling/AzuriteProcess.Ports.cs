using System.Net;
using System.Net.Sockets;

namespace Supervision.LocalHost.Tooling;

/// <summary>Free loopback ports for an Azurite, a local host or its Durable sidecar.</summary>
public sealed partial class AzuriteProcess
{
    /// <summary>
    /// Distinct free ports, each held open until all are chosen so none is handed out twice. They are
    /// picked at random below the ephemeral range (Linux 32768–60999, Windows and macOS from 49152):
    /// the system gives ephemeral ports to outgoing connections too, so a port found free there could
    /// be taken by any client's connection before its listener binds it ("address already in use").
    /// </summary>
    public static int[] FreePorts(int count)
    {
        const int FirstPort = 20_000;
        const int PortRange = 12_000;
        var listeners = new List<TcpListener>();
        try
        {
            while (listeners.Count < count)
            {
                var listener = new TcpListener(IPAddress.Loopback, FirstPort + Random.Shared.Next(PortRange));
                try
                {
                    listener.Start();
                    listeners.Add(listener);
                }
                catch (SocketException)
                {
                    listener.Stop();
                }
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            listeners.ForEach(l => l.Stop());
        }
    }

    public static int FreePort() => FreePorts(1)[0];
}
