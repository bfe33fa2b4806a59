using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>Durable state is in Azurite: a review pending when the host stops completes after it starts again.</summary>
public sealed class RestartTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task PendingReview_DecidedAcrossARestart_Completes()
    {
        var taskHub = TestLocalHost.NewTaskHub();
        var request = TestLocalHost.DishonestReview(
            "restart-case",
            new ReviewTimings(
                FeedbackWindow: TimeSpan.FromSeconds(5),
                MeasureDuration: TimeSpan.FromSeconds(5),
                MaxInformationRequests: 2));

        await using (var first = await TestLocalHost.StartAsync(azurite.ConnectionString, taskHub, withDemoFeeds: false))
        {
            var client = first.Services.GetRequiredService<DurableTaskClient>();
            await client.ScheduleNewOrchestrationInstanceAsync(
                nameof(JointReviewOrchestrator),
                request,
                new StartOrchestrationOptions(request.CaseId));
            await Eventually.GetAsync(() => first.CaseStatusAsync(request.CaseId), s => s == "Pending", what: "the case to open");
            var (status, _) = await Eventually.GetAsync(
                () => first.DecideAsync(request.CaseId, "customs", "approve", TestLocalHost.Token("customs")),
                r => r.Status != 409,
                what: "customs to decide");
            Assert.Equal(202, status);
        }

        await using var second = await TestLocalHost.StartAsync(azurite.ConnectionString, taskHub, withDemoFeeds: false);
        Assert.Equal("Pending", await second.CaseStatusAsync(request.CaseId));
        var tax = await second.DecideAsync(request.CaseId, "tax", "reject", TestLocalHost.Token("tax"));
        Assert.True(tax.Status == 202, $"{tax.Status}: {tax.Body}");
        Assert.Equal(202, (await second.DecideAsync(request.CaseId, "procurement", "approve", TestLocalHost.Token("procurement"))).Status);

        var client2 = second.Services.GetRequiredService<DurableTaskClient>();
        // A decision the first host was processing when it stopped returns after the control
        // queue's 30-second visibility timeout, so allow for that.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        OrchestrationMetadata done;
        try
        {
            done = await client2.WaitForInstanceCompletionAsync(request.CaseId, getInputsAndOutputs: true, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            var states = new List<string>();
            foreach (var instance in new[] { request.CaseId }
                .Concat(request.Departments.Select(d => ReviewNames.DepartmentReviewInstanceFor(request.CaseId, d.Department))))
            {
                var state = await client2.GetInstanceAsync(instance, getInputsAndOutputs: true);
                states.Add($"{instance}: {state?.RuntimeStatus.ToString() ?? "absent"} {state?.FailureDetails?.ErrorMessage}");
            }

            Assert.Fail("The review did not complete: " + string.Join("; ", states));
            throw;
        }

        var outcome = done.ReadOutputAs<ReviewOutcome>()!;

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(["CUSTOMS-AEO-REFUSED", "PROCUREMENT-BARRED"], outcome.Measures.Select(m => m.Code).Order(StringComparer.Ordinal));
        Assert.Equal(DepartmentOutcomeStatus.Rejected, outcome.Departments.Single(d => d.Department == "tax").Status);
        Assert.Equal("Closed", await second.CaseStatusAsync(request.CaseId));
    }
}
