using Azure.Data.Tables;
using Supervision.Domain.Audit;
using Supervision.Domain.Enterprises;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Enterprises;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Scoring;

namespace Supervision.Infrastructure.Api.Operators;

/// <summary>
/// An operator's confirmation that an unlinked mention is about a registered enterprise. The
/// mention is claimed for that enterprise by a write conditional on the row as read, so of two
/// confirmations only one lands; then it becomes a signal through the linked path
/// (<see cref="ItemScoringHandler.ConfirmLinkAsync"/>), and the portrait is reassessed. A second
/// confirmation to the same enterprise answers with the first, finishing it if it was interrupted
/// (every step writes by key); to another enterprise it is refused. The registry is not changed:
/// adding an alias is an action of its own (<see cref="RegistryAliases"/>).
/// </summary>
public sealed class MentionLinks(
    UnlinkedMentionStore mentions, EnterpriseRegistry registry, ItemScoringHandler scoring, AuditLog audit, TimeProvider time)
{
    public async Task<DeskOutcome> ConfirmAsync(string mentionId, string? uscc, Caller caller, CancellationToken cancellationToken)
    {
        if (await mentions.FindAsync(mentionId, cancellationToken) is not { } row)
        {
            return DeskOutcome.NotFound(
                ProblemKinds.NoSuchMention, $"没有编号为 '{mentionId}' 的未关联提及 / no unlinked mention '{mentionId}'.");
        }

        var code = Uscc.Compact(uscc ?? string.Empty);
        if (!Uscc.Check(code).IsAcceptable)
        {
            return DeskOutcome.Invalid(
                ProblemKinds.InvalidUscc,
                $"请求体须为 {{\"uscc\":\"…\"}}，且代码有效 / the body must be {{\"uscc\":\"…\"}} with a valid code: {Uscc.Check(code).Reason}");
        }

        if (await registry.FindAsync(code, cancellationToken) is not { } enterprise)
        {
            return DeskOutcome.NotFound(
                ProblemKinds.NotRegistered, $"没有统一社会信用代码为 {code} 的登记企业 / no registered enterprise has USCC '{code}'.");
        }

        while (true)
        {
            var mention = UnlinkedMention.Of(row);
            if (mention.Confirmed is { } confirmed)
            {
                if (confirmed.Uscc != code)
                {
                    return DeskOutcome.Conflict(
                        ProblemKinds.LinkedElsewhere,
                        $"该提及已由 {confirmed.By} 于 {confirmed.At:O} 确认关联到 {confirmed.Uscc} / the mention was confirmed "
                        + $"for {confirmed.Uscc} by {confirmed.By} at {confirmed.At:O}.");
                }

                // The same enterprise again: the earlier confirmation, finished first if it was interrupted.
                return DeskOutcome.Repeated(
                    confirmed.LinkedAt is null ? await LinkAsync(row, enterprise, confirmed, cancellationToken) : mention);
            }

            var claim = new MentionConfirmation(code, caller.Subject, time.GetUtcNow(), null);
            if (await mentions.TryClaimAsync(row, code, claim.By, claim.At, cancellationToken))
            {
                return DeskOutcome.Accepted(await LinkAsync(row, enterprise, claim, cancellationToken));
            }

            // Claimed or changed meanwhile: read it again and answer with what it says now.
            row = (await mentions.FindAsync(mentionId, cancellationToken))!;
        }
    }

    private async Task<UnlinkedMention> LinkAsync(
        TableEntity row, Enterprise enterprise, MentionConfirmation confirmation, CancellationToken cancellationToken)
    {
        var why = $"confirmed by operator {confirmation.By} at {confirmation.At:O} (the linker had left it: {row.GetString("Reason")})";
        await scoring.ConfirmLinkAsync(row.GetString("Message") ?? string.Empty, enterprise, why, cancellationToken);
        var entry = new AuditEntry(
            "unlinked|" + row.RowKey,
            "mention-linked",
            confirmation.By,
            confirmation.At,
            $"mention {row.RowKey} of source {row.PartitionKey} linked to {enterprise.Name} ({enterprise.Uscc})",
            ContentHash.Sha256Hex(row.GetString("Message") ?? string.Empty));
        await audit.AppendAsync(entry, "confirm", cancellationToken);
        var linkedAt = time.GetUtcNow();
        await mentions.MarkLinkedAsync(row.PartitionKey, row.RowKey, linkedAt, cancellationToken);
        return UnlinkedMention.Of(row) with { Confirmed = confirmation with { LinkedAt = linkedAt } };
    }
}
