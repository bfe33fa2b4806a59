using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;
using Supervision.LocalHost.Durable;
using Supervision.Testing;

namespace Supervision.LocalHost.Tests;

/// <summary>The local host with <c>Durable:Backend=InMemory</c> runs the same review, decided over HTTP.</summary>
public sealed class InMemoryDurableTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    [Fact]
    public async Task Review_OnTheInMemoryEngine_IsDecidedOverHttpAndCompletes()
    {
        var request = TestLocalHost.DishonestReview(
            "in-memory-case",
            new ReviewTimings(
                FeedbackWindow: TimeSpan.FromSeconds(2),
                MeasureDuration: TimeSpan.FromSeconds(3),
                MaxInformationRequests: 2));
        await using var host = await TestLocalHost.StartAsync(
            azurite.ConnectionString,
            TestLocalHost.NewTaskHub(),
            withDemoFeeds: false,
            overrides: new Dictionary<string, string?> { [LocalDurableTask.BackendSetting] = "InMemory" });
        var client = host.Services.GetRequiredService<DurableTaskClient>();

        await client.ScheduleNewOrchestrationInstanceAsync(
            nameof(JointReviewOrchestrator),
            request,
            new StartOrchestrationOptions(request.CaseId));
        await Eventually.GetAsync(() => host.CaseStatusAsync(request.CaseId), s => s == "Pending", what: "the case to open");
        foreach (var (department, verdict) in new[] { ("customs", "approve"), ("tax", "reject"), ("procurement", "approve") })
        {
            var (status, body) = await host.DecideAsync(request.CaseId, department, verdict, TestLocalHost.Token(department));
            Assert.True(status == 202, $"{department}: {status} {body}");
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var done = await client.WaitForInstanceCompletionAsync(request.CaseId, getInputsAndOutputs: true, timeout.Token);

        Assert.Equal(OrchestrationRuntimeStatus.Completed, done.RuntimeStatus);
        Assert.Equal(
            ["CUSTOMS-AEO-REFUSED", "PROCUREMENT-BARRED"],
            done.ReadOutputAs<ReviewOutcome>()!.Measures.Select(m => m.Code).Order(StringComparer.Ordinal));
    }
}
