namespace Supervision.Domain.Messages;

/// <summary>
/// A review's feedback on a source's signals (reviews → ingestion): when a case closes, the items
/// that were its evidence were confirmed (some department imposed a measure) or not confirmed
/// (every department that answered rejected). The ingestion stage marks its ledger rows, and the
/// share confirmed moves the source's trust.
/// </summary>
public sealed record SignalFeedback(string CaseId, bool Confirmed, IReadOnlyList<SignalRef> Signals);

/// <summary>One signal named by its source and item id, as the item ledger keys it.</summary>
public sealed record SignalRef(string SourceId, string ItemId);
