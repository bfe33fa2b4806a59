using System.Text.Json;
using Supervision.Domain.Problems;
using Supervision.Domain.Reviews;

namespace Supervision.Infrastructure.Reviews;

/// <summary>A verdict read from a request body, with its optional comment.</summary>
public sealed record DecisionText(DecisionVerdict Verdict, string? Comment);

/// <summary>
/// How the desk reads request bodies: {"verdict":"approve","comment":"..."} or {"comment":"..."}.
/// The verdict is read by name only (<see cref="VerdictNames"/>), never through the JSON enum
/// converter the storage options carry, because that converter also takes integers: {"verdict":7}
/// would be a verdict nobody named.
/// </summary>
public static class DeskBodies
{
    /// <summary>The longest body the desk reads; the HTTP adapter cuts off far larger ones before they reach it.</summary>
    public const int MaxCharacters = 16 * 1024;

    private const string Shape = "{\"verdict\":\"approve|reject|request-information\",\"comment\":\"...\"}";

    /// <summary>A refusal when <paramref name="body"/> is over <see cref="MaxCharacters"/>; null otherwise.</summary>
    public static DeskOutcome? TooLarge(string body, string what) =>
        body.Length > MaxCharacters
            ? DeskOutcome.TooLarge(ProblemKinds.BodyTooLarge, $"{what} is at most {MaxCharacters} characters.")
            : null;

    /// <summary>The verdict and comment of a decision body, or the refusal that names what is wrong with it.</summary>
    public static (DecisionText? Decision, DeskOutcome? Refusal) ReadDecision(string body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException e)
        {
            return (null, DeskOutcome.Invalid(ProblemKinds.MalformedDecision, $"Expected {Shape}: {e.Message}"));
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, DeskOutcome.Invalid(ProblemKinds.MalformedDecision, $"Expected an object, {Shape}; got {root.ValueKind}."));
            }

            if (!TryReadComment(root, out var comment))
            {
                return (null, DeskOutcome.Invalid(ProblemKinds.MalformedDecision, "\"comment\" must be text."));
            }

            if (Property(root, "verdict") is not { } verdict)
            {
                return (null, DeskOutcome.Invalid(ProblemKinds.MalformedDecision, $"The body needs \"verdict\": {VerdictNames.Accepted}."));
            }

            if (verdict.ValueKind != JsonValueKind.String || !VerdictNames.TryParse(verdict.GetString(), out var named))
            {
                return (null, DeskOutcome.Invalid(
                    ProblemKinds.UnknownVerdict,
                    $"\"verdict\" is {verdict.GetRawText()}; a verdict is one of {VerdictNames.Accepted}, by name."));
            }

            return (new DecisionText(named, comment), null);
        }
    }

    /// <summary>The comment of a body, or null when it has none or is not a JSON object with a text comment.</summary>
    public static string? ReadComment(string body)
    {
        if (body.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && TryReadComment(document.RootElement, out var comment)
                ? comment
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool TryReadComment(JsonElement root, out string? comment)
    {
        comment = null;
        switch (Property(root, "comment")?.ValueKind)
        {
            case null or JsonValueKind.Null:
                return true;
            case JsonValueKind.String:
                comment = Property(root, "comment")!.Value.GetString();
                return true;
            default:
                return false;
        }
    }

    /// <summary>A property by name, whatever its case, as the web JSON defaults read them.</summary>
    private static JsonElement? Property(JsonElement root, string name)
    {
        foreach (var property in root.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }
}
