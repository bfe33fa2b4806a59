using System.Globalization;
using Supervision.Infrastructure.Api;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Operations;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Supervision.Infrastructure.Storage;
using Supervision.Infrastructure.Telemetry;
using Supervision.LocalHost.Demo;
using Supervision.LocalHost.Durable;
using Supervision.LocalHost.Identity;
using Supervision.LocalHost.Tooling;
using Supervision.LocalHost.Triggers;
using Supervision.LocalHost.WebConsole;

namespace Supervision.LocalHost;

/// <summary>
/// How to run one local host: its settings (as the Functions app would see them) and its ports;
/// <paramref name="OwnedAzurite"/>, the Azurite it started and so restarts if it dies.
/// </summary>
public sealed record LocalHostSettings(
    IReadOnlyDictionary<string, string?> Settings,
    int HttpPort,
    int SidecarPort,
    string TaskHubName,
    QueueSettings Queues,
    byte[] DemoWebhookSecret,
    AzuriteProcess? OwnedAzurite = null);

/// <summary>Builds the local host: the Functions app's pipeline in one ASP.NET Core process.</summary>
public static class LocalHostApp
{
    public const string DefaultTaskHub = "SupervisionLocal";

    public static WebApplication Build(LocalHostSettings host, Action<ILoggingBuilder>? logging = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        var settings = LocalIssuerEndpoints.WithLocalIssuer(host.Settings, host.HttpPort);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Configuration.AddEnvironmentVariables();

        // The pipeline's own logs, without every request and gRPC call of the plumbing.
        string[] plumbing = ["Microsoft.AspNetCore", "System.Net.Http.HttpClient", "Microsoft.DurableTask", "DurableTask", "Grpc", "Polly"];
        foreach (var noisy in plumbing)
        {
            builder.Logging.AddFilter(noisy, LogLevel.Warning);
        }

        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        if (logging is not null)
        {
            logging(builder.Logging);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, host.HttpPort));
        builder.Host.ConfigureHostOptions(o =>
        {
            o.ShutdownTimeout = TimeSpan.FromSeconds(10);

            // The Durable worker holds a streaming call open on Kestrel; stopping them together
            // lets that call end instead of Kestrel waiting out the timeout for it.
            o.ServicesStopConcurrently = true;
        });

        var connection = builder.Configuration[StorageNames.ConnectionSetting]
            ?? throw new InvalidOperationException($"{StorageNames.ConnectionSetting} is not set");
        builder.Services.AddSupervision(builder.Configuration);
        // Off unless asked for: a trace block per activity drowns the banner and the pipeline's own log lines.
        if (string.Equals(builder.Configuration["Telemetry:Console"], "true", StringComparison.OrdinalIgnoreCase))
        {
            // Locally the traces and metrics go to the console; Azure Monitor takes them in Azure.
            builder.Services.AddOpenTelemetry()
                .ConfigureResource(resource => resource.AddService("supervision-localhost"))
                .WithTracing(tracing => tracing.AddSource(SupervisionTelemetry.Name).AddConsoleExporter())
                .WithMetrics(metrics => metrics.AddMeter(SupervisionTelemetry.Name)
                    .AddConsoleExporter((_, reader) => reader.PeriodicExportingMetricReaderOptions.ExportIntervalMilliseconds = 30_000));
        }

        builder.Services.AddHostedService<StorageStartup>();
        if (host.OwnedAzurite is { OwnsProcess: true } azurite)
        {
            builder.Services.AddHostedService(_ => new AzuriteWatchdog(azurite));
        }

        builder.AddLocalDurableTask(connection, host.TaskHubName, host.SidecarPort);

        foreach (var timer in LocalFunctions.Timers)
        {
            // Resolve now so a bad schedule stops the start with a clear message.
            TimerScheduler.ResolveSchedule(timer.Schedule, builder.Configuration);
            builder.Services.AddSingleton<IHostedService>(s => ActivatorUtilities.CreateInstance<TimerScheduler>(s, timer));
        }

        foreach (var queue in LocalFunctions.Queues)
        {
            builder.Services.AddSingleton<IHostedService>(s => ActivatorUtilities.CreateInstance<QueueListener>(s, queue, host.Queues));
        }

        var app = builder.Build();
        app.MapLocalDurableTask(host.SidecarPort);
        foreach (var function in LocalFunctions.Http)
        {
            app.MapMethods("/" + function.Route, [function.Method], async (HttpContext context) =>
            {
                var request = await context.Request.ToApiRequestAsync(context.RequestAborted);
                var response = await function.Run(context.RequestServices, request, context.Request.RouteValues, context.RequestAborted);
                await response.WriteAsync(context.Response, context.RequestAborted);
            }).WithName(function.Name).RequireHost(string.Create(CultureInfo.InvariantCulture, $"*:{host.HttpPort}"));
        }

        app.MapDemo(host.DemoWebhookSecret);
        app.MapLocalIssuer(settings);
        app.MapConsole(settings);
        return app;
    }
}
