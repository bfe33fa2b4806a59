namespace Supervision.LocalHost.Triggers;

/// <summary>
/// How long a listener or timer waits after consecutive failures: doubling from
/// <see cref="First"/> up to <see cref="Longest"/>, back to nothing after a success. While storage
/// is down this keeps a host from hammering it (and its own log) every poll, and once storage is
/// back the first success resets it, so recovery costs at most one <see cref="Longest"/>.
/// </summary>
public sealed class Backoff(TimeSpan first, TimeSpan longest)
{
    public static Backoff ForStorage() => new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));

    public TimeSpan First { get; } = first;

    public TimeSpan Longest { get; } = longest;

    /// <summary>Failures since the last success.</summary>
    public int Failures { get; private set; }

    /// <summary>Counts a failure and returns how long to wait before the next try.</summary>
    public TimeSpan Fail()
    {
        Failures++;
        var doublings = Math.Min(Failures - 1, 16);
        return TimeSpan.FromTicks(Math.Min(First.Ticks << doublings, Longest.Ticks));
    }

    /// <summary>Counts a success; returns how many failures it ends (0 when there were none).</summary>
    public int Succeed()
    {
        var ended = Failures;
        Failures = 0;
        return ended;
    }
}
