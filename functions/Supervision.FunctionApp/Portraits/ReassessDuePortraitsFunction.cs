using Microsoft.Azure.Functions.Worker;
using Supervision.Infrastructure.Portraits;

namespace Supervision.FunctionApp.Portraits;

/// <summary>
/// On the PORTRAIT_REASSESS_SCHEDULE timer (daily), asks the portraits stage to reassess every
/// enterprise whose portrait changes by itself by now: a record expired, or decay crossed a grade.
/// </summary>
public sealed class ReassessDuePortraitsFunction(DuePortraitsHandler handler)
{
    [Function(nameof(ReassessDuePortraits))]
    public Task ReassessDuePortraits(
        [TimerTrigger("%PORTRAIT_REASSESS_SCHEDULE%")] TimerInfo timer, CancellationToken cancellationToken) =>
        handler.ReassessDueAsync(cancellationToken);
}
