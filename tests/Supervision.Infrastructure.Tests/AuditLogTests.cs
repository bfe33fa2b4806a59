using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Audit;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

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
}
