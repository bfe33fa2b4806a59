using System.Text.Json;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Api.Operators;

/// <summary>
/// The operators' actions on what went wrong (replay a poisoned message, link an unlinked mention,
/// add an alias to the registry) and a source's record over time. Each action is audited under the
/// operator's subject and idempotent: the first call answers 202 (201 for an alias), a repeat 200
/// with the first call's outcome.
/// </summary>
public sealed class OperatorActions(
    PoisonReplay replay, MentionLinks links, RegistryAliases aliases, SourceRegistry sources, SourceHistory history, TimeProvider time)
{
    /// <summary>The window <see cref="SourceHistoryAsync"/> returns unless asked otherwise: a week of hours.</summary>
    public const int DefaultHours = 7 * 24;

    public async Task<ApiResponse> ReplayFailureAsync(Caller caller, string failureId, CancellationToken cancellationToken) =>
        ApiResponse.From(await replay.ReplayAsync(failureId, caller, cancellationToken));

    public async Task<ApiResponse> LinkUnlinkedAsync(
        Caller caller, ApiRequest request, string mentionId, CancellationToken cancellationToken)
    {
        var body = Read<LinkBody>(request.Body);
        return ApiResponse.From(await links.ConfirmAsync(mentionId, body?.Uscc, caller, cancellationToken));
    }

    public async Task<ApiResponse> AddAliasAsync(Caller caller, ApiRequest request, string uscc, CancellationToken cancellationToken)
    {
        if (Read<AliasBody>(request.Body)?.Alias is not { } alias)
        {
            return ApiResponse.Problem(400, ProblemKinds.NotAnAlias, "请求体须为 {\"alias\":\"…\"} / the body must be {\"alias\":\"…\"}.");
        }

        var outcome = await aliases.AddAsync(uscc, alias, caller, cancellationToken);
        return outcome.Kind == DeskOutcomeKind.Accepted ? new ApiResponse(201, outcome.Body) : ApiResponse.From(outcome);
    }

    /// <summary>The source's hourly points over the last <c>hours</c> (1 to 2160, a week unless given), oldest first.</summary>
    public async Task<ApiResponse> SourceHistoryAsync(ApiRequest request, string sourceId, CancellationToken cancellationToken)
    {
        var hours = DefaultHours;
        if (request.QueryValue("hours") is { } asked && (!int.TryParse(asked, out hours) || hours is < 1 or > SourceHistory.MaxHours))
        {
            return ApiResponse.Problem(
                400,
                ProblemKinds.InvalidWindow,
                $"hours 须为 1 至 {SourceHistory.MaxHours} 的整数 / hours must be 1 to {SourceHistory.MaxHours}.");
        }

        if (await sources.FindRegisteredAsync(sourceId, cancellationToken) is null)
        {
            return ApiResponse.Problem(404, ProblemKinds.NoSuchSource, $"没有编号为 '{sourceId}' 的数据源 / no source '{sourceId}' is registered.");
        }

        var to = time.GetUtcNow();
        var from = SourceHistory.HourOf(to).AddHours(1 - hours);
        var points = await history.ReadAsync(sourceId, from, to, cancellationToken);
        return ApiResponse.Ok(new { SourceId = sourceId, From = from, To = to, Points = points });
    }

    private static T? Read<T>(string body)
        where T : class
    {
        try
        {
            return string.IsNullOrWhiteSpace(body) ? null : JsonSerializer.Deserialize<T>(body, MessageJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record LinkBody(string? Uscc);

    private sealed record AliasBody(string? Alias);
}
