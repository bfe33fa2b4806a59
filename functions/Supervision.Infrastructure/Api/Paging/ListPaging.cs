using System.Security.Cryptography;
using Azure.Data.Tables;
using Microsoft.Extensions.Options;
using Supervision.Domain.Paging;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Api.Paging;

/// <summary>Settings of list paging (section "Paging").</summary>
public sealed class PagingOptions
{
    public const string SectionName = "Paging";

    /// <summary>
    /// Base64 key (32 bytes or more) that signs continuation tokens. Leave empty to let the service
    /// make one once and keep it in storage (table "keys"), shared by every instance.
    /// </summary>
    public string? TokenKey { get; set; }

    /// <summary>How long a continuation token is honoured.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// The signing key of continuation tokens: the configured one, or a random 32-byte key the first
/// instance to need it writes to storage (insert-once, so racing instances all end with the same).
/// </summary>
public sealed class PageTokenKey(SupervisionStorage storage, IOptions<PagingOptions> options)
{
    private const string Partition = "paging";
    private const string Row = "hmac-sha256";
    private byte[]? key;

    public async Task<byte[]> GetAsync(CancellationToken cancellationToken)
    {
        if (key is { } known)
        {
            return known;
        }

        if (!string.IsNullOrWhiteSpace(options.Value.TokenKey))
        {
            return key = Convert.FromBase64String(options.Value.TokenKey);
        }

        var table = storage.Table(StorageNames.Tables.Keys);
        await table.TryAddAsync(new TableEntity(Partition, Row) { ["Key"] = RandomNumberGenerator.GetBytes(32) }, cancellationToken);
        var stored = await table.FindAsync<TableEntity>(Partition, Row, cancellationToken)
            ?? throw new InvalidOperationException("the paging key was written but cannot be read back");
        return key = stored.GetBinary("Key");
    }
}

/// <summary>
/// How every list endpoint pages: reads pageSize (default <see cref="PageSizes.Default"/>, at most
/// <see cref="PageSizes.Max"/>) and the continuation token "next", which must have been issued for
/// the same list, filters and caller; answers <c>{ items, next }</c>, next null on the last page.
/// </summary>
public sealed class ListPaging(PageTokenKey key, IOptions<PagingOptions> options, TimeProvider time)
{
    public const string SizeParameter = "pageSize";
    public const string NextParameter = "next";

    /// <summary>A page of a list whose reader may refuse the request (an unknown filter): refusals map as the desk's do.</summary>
    public async Task<ApiResponse> RespondAsync<T>(
        PageScope scope, ApiRequest request, Func<PageRequest, Task<DeskOutcome>> read, CancellationToken cancellationToken)
    {
        var (size, sizeProblem) = PageSizes.Parse(request.QueryValue(SizeParameter));
        if (sizeProblem is not null)
        {
            return ApiResponse.Problem(400, ProblemKinds.InvalidPageSize, sizeProblem);
        }

        var tokens = new PageTokens(await key.GetAsync(cancellationToken), time, options.Value.TokenLifetime);
        IReadOnlyList<string>? from = null;
        if (request.QueryValue(NextParameter) is { Length: > 0 } token)
        {
            var (position, problem) = tokens.Read(scope, token);
            if (position is null)
            {
                return ApiResponse.Problem(400, ProblemKinds.PageTokenRefused, PageTokens.Explain(problem));
            }

            from = position;
        }

        var outcome = await read(new PageRequest(size, from));
        if (outcome.IsRefusal || outcome.Body is not ListPage<T> page)
        {
            return ApiResponse.From(outcome);
        }

        return ApiResponse.Ok(new { page.Items, Next = page.Next is null ? null : tokens.Issue(scope, page.Next) });
    }

    /// <summary>A page of a list that takes no filter it could refuse.</summary>
    public Task<ApiResponse> RespondAsync<T>(
        PageScope scope, ApiRequest request, Func<PageRequest, Task<ListPage<T>>> read, CancellationToken cancellationToken) =>
        RespondAsync<T>(scope, request, async page => DeskOutcome.Found(await read(page)), cancellationToken);
}
