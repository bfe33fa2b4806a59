using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Supervision.Domain.Scoring;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Ingestion;
using Supervision.Infrastructure.Scoring;
using Supervision.Infrastructure.Storage;

namespace Supervision.Infrastructure.Api.Health;

/// <summary>The routes that answer anyone: the health of the pipeline, and the API's own document.</summary>
public sealed class HealthRoutes(SupervisionStorage storage, SourceCursorStore cursors, TimeProvider time)
{
    private static readonly TimeSpan StorageTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Up or down for anyone (status and when it was checked, with the same 200 or 503); the details
    /// below for operators only, as they name sources' last errors and the pipeline's inner workings.
    /// </summary>
    public async Task<ApiResponse> HealthAsync(IServiceProvider services, Caller caller, CancellationToken cancellationToken)
    {
        var details = await DetailsAsync(services, cancellationToken);
        if (caller.IsOperator)
        {
            return details;
        }

        var status = JsonSerializer.SerializeToElement(details.Body, MessageJson.Options).GetProperty("status").GetString();
        return new ApiResponse(details.Status, new { Status = status, CheckedAt = time.GetUtcNow() });
    }

    /// <summary>
    /// What an operator needs first: is storage reachable, which model is loaded, how deep the
    /// queues and their poison queues are, and when each source was last pulled successfully.
    /// 503 when storage cannot be reached or no model can be loaded.
    /// </summary>
    private async Task<ApiResponse> DetailsAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        string model;
        var modelLoaded = true;
        try
        {
            model = services.GetRequiredService<ISentimentScorer>().ModelVersion;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidOperationException or InvalidDataException)
        {
            (model, modelLoaded) = ($"not loaded: {e.Message}", false);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StorageTimeout);
        try
        {
            var queues = new Dictionary<string, int>();
            foreach (var queue in StorageNames.Queues.All)
            {
                foreach (var name in new[] { queue, StorageNames.Queues.PoisonOf(queue) })
                {
                    var properties = await storage.Queue(name).GetPropertiesAsync(timeout.Token);
                    queues[name] = properties.Value.ApproximateMessagesCount;
                }
            }

            var sources = await SourcePullAgesAsync(timeout.Token);
            var refresh = services.GetService<ModelRefresher>()?.Status;
            var status = modelLoaded ? "healthy" : "unhealthy";
            var body = new
            {
                Status = status,
                Storage = "reachable",
                Model = model,
                ModelRefresh = refresh,
                Queues = queues,
                Sources = sources,
                CheckedAt = time.GetUtcNow(),
            };
            return new ApiResponse(modelLoaded ? 200 : 503, body);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = e is OperationCanceledException ? "no answer within 5 seconds" : e.Message;
            var body = new { Status = "unhealthy", Storage = $"unreachable: {reason}", Model = model, CheckedAt = time.GetUtcNow() };
            return new ApiResponse(503, body);
        }
    }

    /// <summary>The OpenAPI 3.1 document of this API (embedded; tests keep it in step with the routes and their bodies).</summary>
    public static ApiResponse OpenApiDocument()
    {
        using var stream = typeof(HealthRoutes).Assembly.GetManifestResourceStream("Supervision.Infrastructure.Api.openapi.json")
            ?? throw new InvalidOperationException("openapi.json is not embedded");
        using var document = JsonDocument.Parse(stream);
        return ApiResponse.Ok(document.RootElement.Clone());
    }

    private async Task<IReadOnlyList<object>> SourcePullAgesAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return (await cursors.ListAsync(cancellationToken)).Select(cursor => (object)new
        {
            Source = cursor.RowKey,
            cursor.LastSuccessAt,
            SecondsSinceLastSuccess = cursor.LastSuccessAt is { } at ? Math.Round((now - at).TotalSeconds) : (double?)null,
            cursor.LastError,
            cursor.LastErrorAt,
        }).ToList();
    }
}

/// <summary>The health route group.</summary>
public static class HealthServices
{
    public static IServiceCollection AddHealthRoutes(this IServiceCollection services) => services.AddSingleton<HealthRoutes>();
}
