using System.Text.Json;
using Supervision.Domain.Ingestion;
using Supervision.Domain.Messages;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Storage;
using Supervision.Testing;
using static Microsoft.Playwright.Assertions;

namespace Supervision.WebConsole.Tests;

/// <summary>
/// Issue 17's operator scenario in chromium: an operator confirms an unlinked mention to an enterprise,
/// and replays a poisoned message, which is processed once.
/// </summary>
[Collection(ConsoleScenarios.Name)]
public sealed class OperatorScenarioTests(ConsoleHost console)
{
    private const string Beichen = "91110000D3M000004N";
    private const string Nanling = "91440300D3M000003K";
    private static readonly string Operator = TestLocalHost.RoleToken(Roles.Operator);

    [Fact]
    public async Task Operator_ConfirmsAnUnlinkedMention_AndReplaysAPoisonedMessageOnce()
    {
        var host = console.Host;
        var mention = await PlainUnlinkedMentionAsync();
        var failureId = await PoisonedMessageAsync();

        await using var session = await console.OpenAsync();
        var page = session.Page;
        await session.SignInAsync("operator", "operator-1-signin");
        await Expect(page.Locator("h1")).ToHaveTextAsync("运维");

        // Confirm the mention to an enterprise: this mention only is linked, the registry unchanged.
        var card = page.Locator($"article.mention[data-mention='{mention}']");
        await Expect(card).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await card.Locator($"input[id='confirm-{mention}-uscc']").FillAsync(Nanling);
        await card.Locator("form[data-action='confirm'] button[type=submit]").ClickAsync();
        await Expect(card.Locator(".link-state")).ToContainTextAsync(Nanling);
        await page.ScreenshotAndAxeAsync("operator-2-mention-confirmed");

        // Replay the poisoned message from its row; the page then says who replayed it and as which message.
        var replay = page.Locator($"[data-failure='{failureId}']");
        await replay.Locator("button").ClickAsync();
        await Expect(replay.Locator(".replayed")).ToContainTextAsync("已重放");
        await page.ScreenshotAndAxeAsync("operator-3-replayed");

        // Processed once: one signal for the item; a second replay is the first one again; no replay button left.
        await Eventually.GetAsync(
            () => host.Storage.Table(StorageNames.Tables.Signals).InPartitionAsync(Beichen),
            rows => rows.Any(r => r.RowKey == "console-replay-1"),
            TimeSpan.FromSeconds(60),
            "the replayed message to be scored");
        var (status, again) = await host.SendAsync(HttpMethod.Post, $"api/operator/failures/{failureId}/replay", Operator);
        Assert.Equal(200, status);
        await page.ReloadAsync();
        await Expect(page.Locator($"[data-failure='{failureId}'] .replayed"))
            .ToContainTextAsync(again.GetProperty("replay").GetProperty("messageId").GetString()!);
        await Expect(page.Locator($"[data-failure='{failureId}'] button")).ToHaveCountAsync(0);
        Assert.Single(
            await host.Storage.Table(StorageNames.Tables.Signals).InPartitionAsync(Beichen), r => r.RowKey == "console-replay-1");
        await page.ScreenshotAndAxeAsync("operator-4-after-reload");
        Assert.True(session.Errors.Count == 0, string.Join(Environment.NewLine, session.Errors));
    }

    /// <summary>A mention of the demo feeds that names no registered enterprise (not the hostile feed's).</summary>
    private async Task<string> PlainUnlinkedMentionAsync()
    {
        var mention = await Eventually.GetAsync(
            async () => (await console.Host.SendAsync(HttpMethod.Get, "api/operator/unlinked?pageSize=200", Operator)).Body
                .GetProperty("items").EnumerateArray()
                .FirstOrDefault(m => m.GetProperty("source").GetString()!.StartsWith("demo-", StringComparison.Ordinal)),
            m => m.ValueKind == JsonValueKind.Object,
            TimeSpan.FromSeconds(120),
            "an unlinked mention from the demo feeds");
        return mention.GetProperty("id").GetString()!;
    }

    /// <summary>
    /// A message the scorer fails on every try while the signals table is gone, so the queue poisons it;
    /// the table is back before the operator replays it.
    /// </summary>
    private async Task<string> PoisonedMessageAsync()
    {
        var storage = console.Host.Storage;
        await storage.Tables.DeleteTableAsync(StorageNames.Tables.Signals);
        string failureId;
        try
        {
            var item = new NormalisedItem(
                "console-replay-1", "console-replay", "北辰范例科技荣获全国质量奖", string.Empty, null, DateTimeOffset.UtcNow, "raw",
                DateTimeOffset.UtcNow);
            var sent = await storage.Queue(StorageNames.Queues.ItemsToScore)
                .SendMessageAsync(JsonSerializer.Serialize(new ScoreItemMessage(item, 0.8), MessageJson.Options));
            failureId = $"{StorageNames.Queues.ItemsToScore}~{sent.Value.MessageId}";
            await Eventually.GetAsync(
                async () => (await console.Host.SendAsync(HttpMethod.Get, "api/operator/failures?pageSize=200", Operator)).Body
                    .GetProperty("items").EnumerateArray()
                    .Any(f => f.GetProperty("failureId").GetString() == failureId && f.GetProperty("replayable").GetBoolean()),
                poisoned => poisoned,
                TimeSpan.FromSeconds(120),
                "the message to be poisoned");
        }
        finally
        {
            await storage.Tables.CreateTableIfNotExistsAsync(StorageNames.Tables.Signals);
        }

        return failureId;
    }
}
