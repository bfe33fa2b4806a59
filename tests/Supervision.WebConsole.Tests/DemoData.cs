using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Reviews;
using Supervision.Testing;

namespace Supervision.WebConsole.Tests;

/// <summary>The cases the scenarios work on: the demo's, opened by its feeds, and reviews started directly.</summary>
public static class DemoData
{
    public const string Huaxia = "91330100D3M0000018";
    public const string HuaxiaName = "华夏示例食品有限公司";
    public const string Dongfang = "91310000D3M000002X";

    /// <summary>The demo's dishonesty case against Huaxia: customs, tax and procurement decide.</summary>
    public const string DishonestCase = "JP-DISHONEST-2016-" + Huaxia;

    /// <summary>The demo's major tax violation case against Huaxia: tax, customs and the market regulator decide.</summary>
    public const string TaxCase = "JP-MAJOR-TAX-2026-" + Huaxia;

    /// <summary>The demo's incentive case for Beichen: customs and the market regulator decide.</summary>
    public const string IncentiveCase = "JI-TRUSTWORTHY-2016-91110000D3M000004N";

    /// <summary>Waits (generously: two cores, a whole pipeline) until the case has this status.</summary>
    public static Task WaitForStatusAsync(this TestLocalHost host, string caseId, string status) =>
        Eventually.GetAsync(() => host.CaseStatusAsync(caseId), s => s == status, TimeSpan.FromSeconds(180), $"{caseId} to be {status}");

    /// <summary>A department decides through the API, as that department's reviewer elsewhere would.</summary>
    public static async Task DecideThroughApiAsync(this TestLocalHost host, string caseId, string department, string verdict)
    {
        var (status, body) = await Eventually.GetAsync(
            () => host.DecideAsync(caseId, department, verdict, TestLocalHost.Token(department)),
            r => r.Status != 409,
            TimeSpan.FromSeconds(60),
            $"{department} to be able to decide {caseId}");
        Assert.True(status is 200 or 202, $"{department} deciding {caseId}: {status} {body}");
    }

    /// <summary>Starts a pending review of Dongfang in which tax alone decides: a case that is not customs'.</summary>
    public static async Task<string> StartTaxOnlyReviewAsync(this TestLocalHost host)
    {
        var caseId = $"tax-only-{Guid.NewGuid():N}"[..20];
        var request = TestLocalHost.DishonestReview(caseId, ReviewTimings.Default);
        request = request with { Departments = [.. request.Departments.Where(d => d.Department == "tax")] };
        await host.Services.GetRequiredService<DurableTaskClient>().ScheduleNewOrchestrationInstanceAsync(
            nameof(JointReviewOrchestrator), request, new StartOrchestrationOptions(caseId));
        await host.WaitForStatusAsync(caseId, "Pending");
        return caseId;
    }
}
