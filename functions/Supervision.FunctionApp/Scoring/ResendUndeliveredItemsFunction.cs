using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Scoring;

namespace Supervision.FunctionApp.Scoring;

/// <summary>
/// Every minute, sends again the items handed to scoring whose message never arrived. A fixed
/// schedule rather than a setting: how long a message may take is the setting
/// (Scoring:ResendUndeliveredAfter); the sweep itself needs no tuning.
/// </summary>
public sealed class ResendUndeliveredItemsFunction(UndeliveredItemsSweep sweep)
{
    public const string Schedule = "30 * * * * *";

    [Function(nameof(ResendUndeliveredItems))]
    public Task ResendUndeliveredItems([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        sweep.SweepAsync(cancellationToken);
}
