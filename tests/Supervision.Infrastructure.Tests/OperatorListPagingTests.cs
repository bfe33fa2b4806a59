using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Api.Operators;
using Supervision.Infrastructure.Operations;
using Supervision.Testing;

namespace Supervision.Infrastructure.Tests;

/// <summary>The operators' lists page as the case list does, on a real Azurite.</summary>
public sealed class OperatorListPagingTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly Caller Operator = new("olga", [Roles.Operator]);

    [Fact]
    public async Task ListFailures_PageByPage_EveryFailureOnce_AndItsTokenIsRefusedByAnotherList()
    {
        await using var services = await TestServices.BuildAsync(azurite.ConnectionString);
        var log = services.GetRequiredService<MessageFailureLog>();
        var ids = Enumerable.Range(0, 7).Select(i => string.Create(CultureInfo.InvariantCulture, $"message-{i}")).ToList();
        foreach (var id in ids)
        {
            await log.RecordAsync("items-to-score", id, 1, new InvalidOperationException("bad"), poisoned: false, default);
        }

        var routes = services.GetRequiredService<OperatorRoutes>();
        var listed = new List<string>();
        var tokens = new List<string>();
        string? next = null;
        do
        {
            var body = Ok(await routes.ListFailuresAsync(Operator, Request(("pageSize", "3"), ("next", next)), default));
            listed.AddRange(body.GetProperty("items").EnumerateArray().Select(f => f.GetProperty("messageId").GetString()!));
            next = body.GetProperty("next").GetString();
            tokens.AddRange(next is null ? [] : [next]);
        }
        while (next is not null);

        var elsewhere = await routes.ListQuarantineAsync(Operator, Request(("next", tokens[0])), default);
        Assert.Equal(ids, listed);
        Assert.Equal(2, tokens.Count);
        Assert.Equal(400, elsewhere.Status);
    }

    private static ApiRequest Request(params (string Name, string? Value)[] query) =>
        new(
            new Dictionary<string, string>(),
            query.Where(q => q.Value is not null).ToDictionary(q => q.Name, q => q.Value!, StringComparer.OrdinalIgnoreCase),
            string.Empty);

    private static JsonElement Ok(ApiResponse response)
    {
        Assert.Equal(200, response.Status);
        return JsonDocument.Parse(response.BodyJson()).RootElement.Clone();
    }
}
