using Azure.Data.Tables;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Portraits;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Ingestion;

/// <summary>
/// Tells each source how its signals fared: when a review closes, the ledger rows of the items
/// that were its evidence are marked confirmed (some department imposed a measure) or not
/// confirmed (every department that answered rejected). Overdue departments say nothing either
/// way. The share confirmed is part of the source's record and moves its trust weight.
/// </summary>
public sealed class ReviewFeedback(SupervisionStorage storage, PortraitStore portraits)
{
    public async Task RecordAsync(ReviewRequest request, ReviewOutcome outcome, CancellationToken cancellationToken)
    {
        bool? confirmed = outcome.Measures.Count > 0 ? true
            : outcome.Departments.Any(d => d.Status == DepartmentOutcomeStatus.Rejected) && outcome.Departments.All(d => d.Status != DepartmentOutcomeStatus.Approved) ? false
            : null;
        if (confirmed is null)
        {
            return;
        }

        var evidence = request.EvidenceItemIds.ToHashSet(StringComparer.Ordinal);
        var ledger = storage.Table(StorageNames.Tables.SeenItems);
        foreach (var signal in (await portraits.SignalsAsync(request.Uscc, cancellationToken)).Where(s => evidence.Contains(s.ItemId)))
        {
            await ledger.UpsertEntityAsync(
                new TableEntity(TableExtensions.SafeKey(signal.SourceId), signal.ItemId) { ["Confirmed"] = confirmed, ["ConfirmedByCase"] = request.CaseId },
                TableUpdateMode.Merge,
                cancellationToken);
        }
    }
}
