namespace Supervision.Domain.Ingestion;

/// <summary>What was wrong with an input that had to be quarantined. Operators filter on this.</summary>
public enum RejectionKind
{
    Malformed,
    DtdProhibited,
    NotAFeed,
    Oversized,
    WrongContentType,
    CorruptCompression,
    InvalidRecords,
    UnknownSource,
    UnsupportedFormat,

    /// <summary>The source is registered but disabled (see its status): nothing from it is taken.</summary>
    SourceDisabled,
}

/// <summary>Why an input could not be read: kept with the quarantined bytes for an operator.</summary>
public sealed class InputRejectedException(RejectionKind kind, string reason, Exception? inner = null)
    : Exception($"{kind}: {reason}", inner)
{
    public RejectionKind Kind { get; } = kind;

    public string Reason { get; } = reason;
}
