using Microsoft.DurableTask;
using Microsoft.Extensions.DependencyInjection;
using Moq;
using Supervision.Domain.Alerts;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// A department's review reads, when it starts, a decision recorded over HTTP before its
/// instance existed; otherwise it tells the department a decision is due.
/// </summary>
public sealed class NotifyDepartmentActivityTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Notify_DecisionAlreadyRecorded_ReturnsItAndSendsNoReminder_OtherwiseAlertsTheDepartment()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var cases = services.GetRequiredService<CaseStore>();
        var activity = ActivatorUtilities.CreateInstance<NotifyDepartmentActivity>(services);
        var caseId = $"case-{Guid.NewGuid():N}";
        await cases.RecordDecisionAsync(
            new DecisionRecord(caseId, "customs", DecisionVerdict.Reject, "customs-reviewer", "no grounds", DateTimeOffset.UtcNow),
            CancellationToken.None);
        var context = Mock.Of<TaskActivityContext>();

        var customsInput = new DepartmentReviewInput(caseId, "U", "customs", TimeSpan.FromDays(1));
        var customs = await activity.RunAsync(context, customsInput);
        var tax = await activity.RunAsync(context, customsInput with { Department = "tax" });
        var customsRound2 = await activity.RunAsync(context, customsInput with { Round = 2 });

        Assert.Equal((DecisionVerdict.Reject, "customs-reviewer", "no grounds"), (customs!.Verdict, customs.DecidedBy, customs.Comment));
        Assert.Null(tax);
        Assert.Null(customsRound2);
        var alerts = (await services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.Alerts).PeekMessagesAsync(32)).Value
            .Select(m => StageMessages.Read<Alert>(m.Body.ToString()))
            .Where(a => a.CaseId == caseId)
            .ToList();
        Assert.Equal(
            [$"{caseId}:DecisionDue:customs-r2", $"{caseId}:DecisionDue:tax"], alerts.Select(a => a.AlertId).Order(StringComparer.Ordinal));

        Assert.DoesNotContain(alerts, a => a.Text.Contains("Decision due from customs", StringComparison.Ordinal));
    }
}
