using Microsoft.Extensions.Logging;
using Supervision.Domain.Messages;
using Supervision.Domain.Portraits;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Enterprises;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.Infrastructure.Portraits;

/// <summary>
/// The portraits stage: takes "reassess enterprise X", recomputes its portrait from all its
/// evidence, saves it (with its history), and publishes "enterprise flagged" for each memorandum
/// whose trigger it meets. Asked with a time and a memorandum (the reviews stage asks this after
/// a case under that memorandum closed), it computes a view of the evidence that arrived since
/// then, does not save it, and flags that memorandum only if the view meets its trigger.
/// Every step is safe to repeat: the portrait is a function of the evidence, and the reviews
/// stage opens nothing for a flag it has acted on.
/// </summary>
public sealed class PortraitReassessmentHandler(
    EnterpriseRegistry enterprises,
    MemorandumCatalog catalog,
    PortraitEvidence evidence,
    PortraitStore portraits,
    StageMessages messages,
    ILogger<PortraitReassessmentHandler> logger)
{
    private const int MaxSaveAttempts = 20;

    /// <summary>Handles one message; returns the flags it published.</summary>
    public async Task<IReadOnlyList<EnterpriseFlagged>> HandleAsync(string message, CancellationToken cancellationToken)
    {
        var reassess = StageMessages.Read<ReassessEnterprise>(message);
        var memorandum = Check(reassess);
        using var span = SupervisionTelemetry.StartContinuing("ReassessEnterprise", reassess.TraceParent);
        span?.SetTag("supervision.uscc", reassess.Uscc);
        var enterprise = await enterprises.FindAsync(reassess.Uscc, cancellationToken)
            ?? throw new InvalidDataException(
                $"the reassess-enterprise message names {reassess.Uscc}, which is not a registered enterprise");

        var (portrait, triggered) = reassess.EvidenceSince is { } since
            ? await ViewSinceAsync(enterprise.Uscc, since, memorandum!, cancellationToken)
            : await SaveCurrentAsync(enterprise.Uscc, reassess.CausedBy, cancellationToken);
        span?.SetTag("supervision.grade", portrait.Grade.ToString());

        var traceParent = SupervisionTelemetry.CurrentTraceParent;
        var flags = triggered
            .Select(m => new EnterpriseFlagged(
                enterprise.Uscc, enterprise.Name, m.Id, portrait, reassess.CausedBy, traceParent, reassess.EvidenceSince))
            .ToList();
        foreach (var flag in flags)
        {
            await messages.SendAsync(flag, cancellationToken);
        }

        logger.LogInformation(
            "Reassessed {Uscc} for {CausedBy}{Since}: score {Score:F1} grade {Grade}; flagged under {Memoranda}",
            enterprise.Uscc, reassess.CausedBy, reassess.EvidenceSince is { } s ? $" on evidence since {s:O}" : string.Empty,
            portrait.Score, portrait.Grade, flags.Count == 0 ? "none" : string.Join(", ", flags.Select(f => f.MemorandumId)));
        return flags;
    }

    /// <summary>Refuses a message that names no enterprise or cause, or a time without a known memorandum (or the reverse).</summary>
    private Memorandum? Check(ReassessEnterprise reassess)
    {
        if (string.IsNullOrWhiteSpace(reassess.Uscc) || string.IsNullOrWhiteSpace(reassess.CausedBy))
        {
            throw new InvalidDataException("the reassess-enterprise message names no enterprise or no cause");
        }

        if ((reassess.EvidenceSince is null) != (reassess.Memorandum is null))
        {
            throw new InvalidDataException(
                $"the reassess-enterprise message for {reassess.Uscc} sets one of EvidenceSince and Memorandum without the other");
        }

        return reassess.Memorandum is not { } id ? null
            : catalog.Memoranda.FirstOrDefault(m => m.Id == id)
                ?? throw new InvalidDataException($"the reassess-enterprise message for {reassess.Uscc} names no memorandum '{id}'");
    }

    /// <summary>The portrait of the evidence that arrived since a time, and whether it meets that one memorandum's trigger.</summary>
    private async Task<(CreditPortrait, IReadOnlyList<Memorandum>)> ViewSinceAsync(
        string uscc, DateTimeOffset since, Memorandum memorandum, CancellationToken cancellationToken)
    {
        var view = await evidence.ComputeAsync(uscc, since, cancellationToken);
        return (view, catalog.TriggeredBy(view).Where(m => m.Id == memorandum.Id).ToList());
    }

    /// <summary>
    /// Other deliveries for the same enterprise may be writing right now; the store refuses a
    /// portrait computed from less than the one standing, so recompute until ours is current.
    /// Flags follow the portrait that stands, whoever saved it.
    /// </summary>
    private async Task<(CreditPortrait, IReadOnlyList<Memorandum>)> SaveCurrentAsync(
        string uscc, string causedBy, CancellationToken cancellationToken)
    {
        using var span = SupervisionTelemetry.Source.StartActivity("UpdatePortrait");
        for (var attempt = 0; attempt < MaxSaveAttempts; attempt++)
        {
            var computed = await evidence.ComputeAsync(uscc, null, cancellationToken);
            if (await portraits.TrySaveAsync(computed, causedBy, cancellationToken) is { } standing)
            {
                return (standing, catalog.TriggeredBy(standing).ToList());
            }
        }

        throw new InvalidOperationException($"the portrait of {uscc} kept changing under {MaxSaveAttempts} attempts to update it");
    }
}
