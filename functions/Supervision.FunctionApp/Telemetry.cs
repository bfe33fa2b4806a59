using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Supervision.Infrastructure.Telemetry;

namespace Supervision.FunctionApp;

/// <summary>Supervision's traces and metrics to Azure Monitor, authenticated with the app's identity.</summary>
internal static class Telemetry
{
    public static IServiceCollection AddSupervisionTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithTracing(t => t.AddSource(SupervisionTelemetry.Name))
            .WithMetrics(m => m.AddMeter(SupervisionTelemetry.Name));

        if (!string.IsNullOrWhiteSpace(configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"]))
        {
            // Application Insights has local authentication off; publish as the app's identity.
            var clientId = configuration["AzureWebJobsStorage:clientId"];
            TokenCredential credential = string.IsNullOrWhiteSpace(clientId)
                ? new DefaultAzureCredential()
                : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId));
            telemetry.UseAzureMonitorExporter(o => o.Credential = credential);
        }

        return services;
    }
}
