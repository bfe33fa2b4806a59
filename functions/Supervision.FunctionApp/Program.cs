using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Supervision.FunctionApp;
using Supervision.FunctionApp.Middleware;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Operations;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.UseMiddleware<QueueFailureMiddleware>();
builder.Services.AddSupervision(builder.Configuration);
builder.Services.AddSupervisionTelemetry(builder.Configuration);
builder.Services.AddHostedService<StorageStartup>();
builder.Services.AddSingleton<FailureRecordRetry>();
builder.Services.AddHostedService(services => services.GetRequiredService<FailureRecordRetry>());
builder.Build().Run();
