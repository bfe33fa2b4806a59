using Supervision.Domain.Audit;

namespace Supervision.Infrastructure.Reviews;

/// <summary>A credit-repair request as the audit trail recorded it, with the id that a ruling on it names.</summary>
public sealed record RepairRequestEntry(string Id, AuditEntry Entry);

/// <summary>The ruling recorded on the last repair request: the desk's entry for it.</summary>
public sealed record RepairRulingEntry(string RequestId, AuditEntry Entry);

/// <summary>
/// Where a case's credit repair stands, read from its audit trail (one request at a time): the request
/// awaiting a ruling, if any, and the ruling the desk recorded on the last request. A request stops
/// waiting when the market regulator rules on it ("repair-decision") or when the review records an
/// outcome for it ("repair-decided", which a decision window that ran out also writes).
/// </summary>
public sealed record RepairHearing(int Requests, RepairRequestEntry? Pending, RepairRulingEntry? LastRuling)
{
    public const string RequestReceived = "repair-request-received";
    public const string RulingReceived = "repair-decision";
    public const string OutcomeRecorded = "repair-decided";

    public static RepairHearing Read(IReadOnlyList<AuditEntry> trail)
    {
        var requests = 0;
        RepairRequestEntry? last = null;
        RepairRequestEntry? pending = null;
        RepairRulingEntry? ruling = null;
        foreach (var entry in trail)
        {
            switch (entry.Action)
            {
                case RequestReceived:
                    requests++;
                    last = pending = new RepairRequestEntry(IdFor(entry.InputsSha256, requests), entry);
                    ruling = null;
                    break;
                case RulingReceived when last is not null:
                    ruling = new RepairRulingEntry(last.Id, entry);
                    pending = null;
                    break;
                case OutcomeRecorded:
                    pending = null;
                    break;
            }
        }

        return new RepairHearing(requests, pending, ruling);
    }

    /// <summary>
    /// The id of the next request with this body: its content hash, as the first request's audit key
    /// always carried it, with its number on the case from the second on, so that a request sent again
    /// word for word after a ruling is a new request.
    /// </summary>
    public string NextId(string sha256) => IdFor(sha256, Requests + 1);

    private static string IdFor(string sha256, int number)
    {
        var hash = sha256[..Math.Min(16, sha256.Length)];
        return number == 1 ? hash : $"{hash}-{number}";
    }
}
