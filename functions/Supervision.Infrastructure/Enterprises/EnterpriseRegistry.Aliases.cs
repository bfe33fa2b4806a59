using Azure;
using Supervision.Domain.Enterprises;

namespace Supervision.Infrastructure.Enterprises;

/// <summary>Conditional writes of one enterprise: an operator's change that must not overwrite another's.</summary>
public sealed partial class EnterpriseRegistry
{
    /// <summary>An enterprise as stored, with its row's ETag; read from the table, not the index.</summary>
    public Task<(Enterprise Enterprise, ETag ETag)?> FindForChangeAsync(string uscc, CancellationToken cancellationToken) =>
        table.FindForChangeAsync(uscc, cancellationToken);

    /// <summary>
    /// Writes the enterprise if its row still has <paramref name="etag"/>; false when it was written
    /// since. This instance's index takes it at once; the others within their next refresh, by the log.
    /// </summary>
    public async Task<bool> ReplaceIfUnchangedAsync(Enterprise enterprise, ETag etag, CancellationToken cancellationToken)
    {
        if (await table.ReplaceIfUnchangedAsync(enterprise, etag, time.GetUtcNow(), cancellationToken) is not { } line)
        {
            return false;
        }

        await ApplyOwnAsync([line], () => linker.Upsert(enterprise), cancellationToken);
        return true;
    }
}
