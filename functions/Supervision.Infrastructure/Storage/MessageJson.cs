using System.Text.Json;
using System.Text.Json.Serialization;

namespace Supervision.Infrastructure.Storage;

/// <summary>One JSON shape for every queue message and stored document.</summary>
public static class MessageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };
}
