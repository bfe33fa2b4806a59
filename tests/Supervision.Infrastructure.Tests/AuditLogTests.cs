using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Audit;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.LocalHost.Tooling;
using Supervision.Testing;
using Supervision.Trainer;

namespace Supervision.Infrastructure.Tests;

public sealed class AuditLogTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Append_ConcurrentAndRepeated_GivesOneUnbrokenChainWithEachKeyOnce()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var audit = services.GetRequiredService<AuditLog>();
        var subject = $"case-{Guid.NewGuid():N}";

        // Twenty decisions, each appended twice at once (an activity retried while the first run still writes).
        var appended = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            audit.AppendAsync(
                new AuditEntry(subject, "Decision", $"reviewer-{i % 20}", DateTimeOffset.UtcNow, "approve", new string('0', 64)),
                $"decision-{i % 20}",
                CancellationToken.None)));

        Assert.Equal(20, appended.Count(a => a));
        Assert.Equal(20, (await audit.ForSubjectAsync(subject, CancellationToken.None)).Count);
        var verification = await audit.VerifyAsync(CancellationToken.None);
        Assert.DoesNotContain(verification.Breaks, b => b.Subject == subject);
    }

    [Fact]
    public async Task Verify_EntryEditedInStorage_ReportsTheFirstBrokenLink()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var audit = services.GetRequiredService<AuditLog>();
        var subject = $"case-{Guid.NewGuid():N}";
        for (var i = 0; i < 3; i++)
        {
            await audit.AppendAsync(
                new AuditEntry(subject, "Decision", $"reviewer-{i}", DateTimeOffset.UtcNow, "reject", new string('0', 64)),
                $"d{i}",
                CancellationToken.None);
        }

        // Someone with write access to the table turns a rejection into an approval.
        var table = services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.Audit);
        var row = (await table.GetEntityAsync<TableEntity>(subject, "e-0000000001")).Value;
        row["Json"] = row.GetString("Json")!.Replace("reject", "approve", StringComparison.Ordinal);
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        var broken = Assert.Single((await audit.VerifyAsync(CancellationToken.None)).Breaks, b => b.Subject == subject);
        Assert.Equal(1, broken.Sequence);
    }

    [Fact]
    public async Task Verify_AfterACheckpoint_ReadsOnlyTheEntriesAppendedSince()
    {
        var reads = new TableReadRecorder();
        await using var services = await TestServices.BuildAsync(
            azurite.ConnectionString, configure: s => s.AddSingleton(PolicyStorage.With(azurite.ConnectionString, reads)));
        var audit = services.GetRequiredService<AuditLog>();
        var subject = $"case-{Guid.NewGuid():N}";
        await AppendAsync(audit, subject, 0, 5);
        Assert.DoesNotContain((await audit.VerifyAsync(CancellationToken.None)).Breaks, b => b.Subject == subject);
        await AppendAsync(audit, subject, 5, 3);
        reads.Clear();

        var verification = await audit.VerifyAsync(CancellationToken.None);

        Assert.True(verification.Complete);
        Assert.DoesNotContain(verification.Breaks, b => b.Subject == subject);
        var entriesRead = reads.Read.Where(r => r.PartitionKey == subject && r.RowKey.StartsWith("e-", StringComparison.Ordinal));
        Assert.Equal(["e-0000000005", "e-0000000006", "e-0000000007"], entriesRead.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        reads.Clear();
        Assert.DoesNotContain((await audit.VerifyAsync(CancellationToken.None)).Breaks, b => b.Subject == subject);
        Assert.DoesNotContain(reads.Read, r => r.PartitionKey == subject && r.RowKey.StartsWith("e-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Verify_EntryEditedAfterTheCheckpoint_IsFoundAndTheCheckpointStays()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var audit = services.GetRequiredService<AuditLog>();
        var subject = $"case-{Guid.NewGuid():N}";
        await AppendAsync(audit, subject, 0, 3);
        await audit.VerifyAsync(CancellationToken.None);
        await AppendAsync(audit, subject, 3, 3);

        await TamperAsync(services, subject, "e-0000000004");

        var first = Assert.Single((await audit.VerifyAsync(CancellationToken.None)).Breaks, b => b.Subject == subject);
        var again = Assert.Single((await audit.VerifyAsync(CancellationToken.None)).Breaks, b => b.Subject == subject);
        Assert.Equal((4L, 4L), (first.Sequence, again.Sequence));
    }

    [Fact]
    public async Task Verify_EntryEditedBeforeTheCheckpoint_OnlyAFullVerificationFindsIt()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var audit = services.GetRequiredService<AuditLog>();
        var subject = $"case-{Guid.NewGuid():N}";
        await AppendAsync(audit, subject, 0, 4);
        await audit.VerifyAsync(CancellationToken.None);

        await TamperAsync(services, subject, "e-0000000001");

        // The trade-off of checkpoints: what was verified is not read again by the incremental call.
        Assert.DoesNotContain((await audit.VerifyAsync(CancellationToken.None)).Breaks, b => b.Subject == subject);
        var full = await audit.VerifyAsync(full: true, AuditLog.EntriesPerCall, CancellationToken.None);
        Assert.Equal(1, Assert.Single(full.Breaks, b => b.Subject == subject).Sequence);
    }

    [Fact]
    public async Task Verify_MoreEntriesThanOneCallReads_FinishesOverSeveralCalls()
    {
        // An Azurite of its own: other tests' broken chains would take their share of each call.
        await using var own = await AzuriteProcess.StartOnFreePortsAsync(ModelPaths.FindRepositoryRoot(), TextWriter.Null);
        await using var services = await TestServices.BuildAsync(own.ConnectionString);
        var audit = services.GetRequiredService<AuditLog>();
        var subject = $"case-{Guid.NewGuid():N}";
        await AppendAsync(audit, subject, 0, 25);

        var calls = new List<AuditVerification>();
        do
        {
            calls.Add(await audit.VerifyAsync(full: false, 10, CancellationToken.None));
        }
        while (!calls[^1].Complete && calls.Count < 10);

        Assert.Equal([10L, 10L, 5L], calls.Select(c => c.Entries));
        Assert.All(calls, c => Assert.True(c.Intact));
    }

    private static async Task AppendAsync(AuditLog audit, string subject, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            await audit.AppendAsync(
                new AuditEntry(subject, "Decision", $"reviewer-{i}", DateTimeOffset.UtcNow, "reject", new string('0', 64)),
                $"d{i}",
                CancellationToken.None);
        }
    }

    private static async Task TamperAsync(IServiceProvider services, string subject, string rowKey)
    {
        var table = services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.Audit);
        var row = (await table.GetEntityAsync<TableEntity>(subject, rowKey)).Value;
        row["Json"] = row.GetString("Json")!.Replace("reject", "approve", StringComparison.Ordinal);
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
    }
}
