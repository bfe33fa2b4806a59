using System.Text.Json;
using Supervision.Domain.Ingestion;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Reviews;

/// <summary>The SHA-256 of what an activity acted on (its input as JSON), recorded in its audit entry.</summary>
internal static class InputHash
{
    public static string Of(object input) => ContentHash.Sha256Hex(JsonSerializer.Serialize(input, MessageJson.Options));
}
