using System.Text.Json;
using Supervision.LocalHost.Triggers;
using Supervision.Trainer;

namespace Supervision.LocalHost.Tests;

/// <summary>
/// The local host must wire exactly what the Functions app declares: same queues, schedules,
/// routes and methods, orchestrations and activities. Reads the functions.metadata that the
/// Functions SDK wrote when it built the app.
/// </summary>
public class FunctionAppDriftTests
{
    [Fact]
    public void LocalHost_WiresExactlyTheFunctionAppsTriggers()
    {
        var fromFunctionApp = ReadFunctionsMetadata().Order(StringComparer.Ordinal).ToList();
        var fromLocalHost = LocalFunctions.Describe().Order(StringComparer.Ordinal).ToList();

        Assert.Equal(fromFunctionApp, fromLocalHost);
    }

    [Fact]
    public void FunctionsMetadata_NamesEveryKindOfTrigger()
    {
        var kinds = ReadFunctionsMetadata().Select(line => line.Split(' ')[0]).ToHashSet();

        Assert.Equal(["activity", "http", "orchestration", "queue", "timer"], kinds.Order(StringComparer.Ordinal));
    }

    /// <summary>One line per function of the built app, e.g. "http GetReview GET reviews/{caseId}".</summary>
    internal static IEnumerable<string> ReadFunctionsMetadata()
    {
        // This test's output is tests/X/bin/{Configuration}/{tfm}/;
        // the app's is functions/Supervision.FunctionApp/bin/{Configuration}/{tfm}/.
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var path = Path.Combine(
            ModelPaths.FindRepositoryRoot(),
            "functions",
            "Supervision.FunctionApp",
            "bin",
            output.Parent!.Name,
            output.Name,
            "functions.metadata");
        Assert.True(File.Exists(path), $"{path} is missing: build the Functions app first");

        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (var function in document.RootElement.EnumerateArray())
        {
            var name = function.GetProperty("name").GetString()!;
            var trigger = function.GetProperty("bindings")
                .EnumerateArray()
                .Single(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal));
            yield return trigger.GetProperty("type").GetString() switch
            {
                "timerTrigger" => $"timer {name} {trigger.GetProperty("schedule").GetString()}",
                "queueTrigger" => $"queue {name} {trigger.GetProperty("queueName").GetString()}",
                "httpTrigger" => $"http {name} "
                    + $"{string.Join(',', trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()!.ToUpperInvariant()))} "
                    + $"{trigger.GetProperty("route").GetString()}",
                "orchestrationTrigger" => $"orchestration {name}",
                "activityTrigger" => $"activity {name}",
                var other => throw new InvalidOperationException($"{name} has a {other}, which the local host does not serve"),
            };
        }
    }
}
