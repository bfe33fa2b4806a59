using Supervision.Domain.Audit;

namespace Supervision.Domain.Tests;

public class AuditChainTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 28, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Verify_IntactChain_Holds() => Assert.Null(AuditChain.Verify("case", Chain(3), Chain(3)[^1].Hash));

    [Fact]
    public void Verify_AlteredEntry_IsTheFirstBrokenLink()
    {
        var chain = Chain(4).ToList();
        chain[2] = chain[2] with { Entry = chain[2].Entry with { Detail = "approve (edited)" } };

        var broken = AuditChain.Verify("case", chain, chain[^1].Hash);

        Assert.Equal(2, broken!.Sequence);
        Assert.Contains("altered", broken.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RemovedEntries_AreDetected()
    {
        var chain = Chain(4);

        Assert.Equal(1, AuditChain.Verify("case", [chain[0], chain[2], chain[3]], chain[3].Hash)!.Sequence);
        Assert.Contains("removed", AuditChain.Verify("case", chain.Take(3).ToList(), chain[3].Hash)!.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RehashedAlteration_BreaksTheNextLink()
    {
        var chain = Chain(3).ToList();
        var forged = chain[1].Entry with { Actor = "someone-else" };
        chain[1] = chain[1] with { Entry = forged, Hash = AuditChain.Hash(chain[1].PreviousHash, 1, forged) };

        Assert.Equal(2, AuditChain.Verify("case", chain, chain[^1].Hash)!.Sequence);
    }

    private static List<ChainedAuditEntry> Chain(int length)
    {
        var entries = new List<ChainedAuditEntry>();
        var previous = AuditChain.Genesis;
        for (var i = 0; i < length; i++)
        {
            var entry = new AuditEntry("case", "Decision", $"reviewer-{i}", At.AddMinutes(i), "approve", new string('a', 64));
            var hash = AuditChain.Hash(previous, i, entry);
            entries.Add(new ChainedAuditEntry(i, previous, hash, entry));
            previous = hash;
        }

        return entries;
    }
}
