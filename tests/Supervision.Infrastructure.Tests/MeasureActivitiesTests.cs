using Azure.Data.Tables;
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
/// A measure's applying, implementing and lifting land on one row of the measures table (one key
/// rule for the three), and its alerts go to the alerts queue.
/// </summary>
public sealed class MeasureActivitiesTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task ApplyImplementLift_SameMeasure_UpdateOneRowAndAlertOnTheAlertsQueue()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var uscc = $"91{Guid.NewGuid():N}"[..18].ToUpperInvariant();
        var memorandum = MemorandumCatalog.LoadEmbedded().Get("JP-DISHONEST-2016");
        var request = new ReviewRequest(
            $"{memorandum.Id}-{uscc}/1", uscc, "Enterprise", memorandum.Id, memorandum.Kind, Domain.Portraits.CreditGrade.D, 40, [],
            memorandum.Departments, TimeSpan.FromDays(7), DateTimeOffset.UtcNow, Revision: ReviewRequest.CurrentRevision);
        var outcomes = request.Departments
            .Select(d => new DepartmentOutcome(d.Department, DepartmentOutcomeStatus.Approved, $"{d.Department}-reviewer", null)).ToList();
        var context = Mock.Of<TaskActivityContext>();
        var report = new ImplementationReport("customs", "customs-reviewer", "AEO withdrawn", DateTimeOffset.UtcNow);

        var applied = await ActivatorUtilities.CreateInstance<ApplyMeasuresActivity>(services)
            .RunAsync(context, new ApplyMeasuresInput(request, outcomes, DateTime.UtcNow));
        await ActivatorUtilities.CreateInstance<RecordImplementationActivity>(services)
            .RunAsync(context, new ImplementationInput(request, "customs", report));
        await ActivatorUtilities.CreateInstance<RecordImplementationActivity>(services)
            .RunAsync(context, new ImplementationInput(request, "tax", null));
        await ActivatorUtilities.CreateInstance<LiftMeasuresActivity>(services)
            .RunAsync(context, new LiftMeasuresInput(request, applied, "expired", DateTime.UtcNow));

        var rows = await services.GetRequiredService<SupervisionStorage>().Table(StorageNames.Tables.Measures).InPartitionAsync(uscc);
        Assert.Equal(
            applied.Select(m => MeasureTable.RowKeyFor(m.CaseId, m.Department, m.Code)).Order(StringComparer.Ordinal),
            rows.Select(r => r.RowKey).Order(StringComparer.Ordinal));
        Assert.All(rows, r => Assert.Equal("Lifted", r.GetString("Status")));
        Assert.All(rows, r => Assert.NotNull(r.GetString(nameof(JsonEntity.Json))));
        Assert.Equal("customs-reviewer", Row(rows, "customs").GetString("ImplementedBy"));
        Assert.False(Row(rows, "tax").GetBoolean("Implemented"));

        var alerts = (await services.GetRequiredService<SupervisionStorage>().Queue(StorageNames.Queues.Alerts).PeekMessagesAsync(32)).Value
            .Select(m => StageMessages.Read<Alert>(m.Body.ToString()))
            .Where(a => a.CaseId == request.CaseId)
            .Select(a => a.Kind)
            .Order();
        Assert.Equal([AlertKind.Escalated, AlertKind.MeasuresApplied, AlertKind.MeasuresLifted], alerts);
    }

    private static TableEntity Row(List<TableEntity> rows, string department) =>
        Assert.Single(rows, r => r.RowKey.Split('|')[1] == department);
}
