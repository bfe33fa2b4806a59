using Azure.Storage.Queues;

namespace Supervision.Testing;

/// <summary>Takes every message off a queue, for tests that hand one stage's output to the next by hand.</summary>
public static class QueueMessages
{
    public static async Task<List<string>> DrainAsync(this QueueClient queue)
    {
        var taken = new List<string>();
        while (true)
        {
            var messages = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1))).Value;
            if (messages.Length == 0)
            {
                return taken;
            }

            foreach (var message in messages)
            {
                taken.Add(message.Body.ToString());
                await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }
}
