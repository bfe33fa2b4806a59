using System.Globalization;
using Supervision.Domain.Reviews;
using Supervision.Infrastructure.Hosting;
using Supervision.Infrastructure.Reviews;
using Supervision.Infrastructure.Storage;
using Supervision.Domain.Security;
using Supervision.LocalHost;
using Supervision.LocalHost.Demo;
using Supervision.LocalHost.Identity;
using Supervision.LocalHost.Tooling;
using Supervision.LocalHost.WebConsole;
using Supervision.WebConsole;
using Supervision.Trainer;

// dotnet run --project functions/Supervision.LocalHost [-- --port 7071]
// dotnet run --project functions/Supervision.LocalHost -- token --department customs [--role reviewer|supervisor]
// dotnet run --project functions/Supervision.LocalHost -- token --role operator,auditor,market-regulator.case-owner
// dotnet run --project functions/Supervision.LocalHost -- token --enterprise 91330100D3M0000018   (an enterprise)
// dotnet run --project functions/Supervision.LocalHost -- token --institution credit-bureau-a --app   (a machine client)
//     (a JWT of the local issuer; --enterprise/--institution also register the subject in the caller directory)
// dotnet run --project functions/Supervision.LocalHost -- directory show SUBJECT
// dotnet run --project functions/Supervision.LocalHost -- directory set SUBJECT --enterprise USCC | --institution ID
// dotnet run --project functions/Supervision.LocalHost -- audit verify
//     (checks every audit hash chain in the local storage)
// dotnet run --project functions/Supervision.LocalHost -- models publish [--from DIR]
//     (publishes trained models; running hosts pick them up)
var root = ModelPaths.FindRepositoryRoot(Directory.GetCurrentDirectory());
var secrets = LocalSettings.LoadOrCreateSecrets(root);
var issuer = new LocalIssuer(secrets.SigningKey);

string Option(string name, string fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

if (args is ["token", ..])
{
    var (request, error) = TokenCommand.Parse(args[1..], TokenCommand.KnownDepartments(MemorandumCatalog.LoadEmbedded()));
    if (request is null)
    {
        Console.Error.WriteLine(error);
        return 2;
    }

    if (request.Entry is { } entry)
    {
        // The token is the only thing on standard output, so TOKEN=$(... token ...) works.
        await using var storage = await AzuriteProcess.StartAsync(
            root, Path.Combine(root, Option("--azurite-data", ".azurite")), 10000, 10001, 10002, Console.Error);
        var directory = await LocalDirectory.OpenAsync(storage.ConnectionString);
        await directory.SaveAsync(entry, "local-token-command", CancellationToken.None);
        Console.Error.WriteLine($"caller directory: {entry.Subject} -> {entry.Uscc ?? entry.Institution}");
    }

    Console.WriteLine(request.App
        ? issuer.IssueForApp(request.Subject, request.Roles, request.Lifetime, DateTimeOffset.UtcNow)
        : issuer.IssueForUser(request.Subject, request.Roles, request.Lifetime, DateTimeOffset.UtcNow));
    return 0;
}

var port = int.Parse(Option("--port", "7071"), CultureInfo.InvariantCulture);
var settings = LocalSettings.Load(root);
await using var azurite = await AzuriteProcess.StartAsync(
    root, Path.Combine(root, Option("--azurite-data", ".azurite")), 10000, 10001, 10002, Console.Out);

if (args is ["directory", ..])
{
    return await LocalDirectory.RunAsync(args, azurite.ConnectionString, Console.Out, Console.Error);
}

if (args is ["audit", "verify", ..])
{
    // The command has no request to time out, so it re-reads every chain from its start.
    var verification = await new AuditLog(SupervisionStorage.FromConfiguration(
            new Microsoft.Extensions.Configuration.ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { [StorageNames.ConnectionSetting] = azurite.ConnectionString })
                .Build()))
        .VerifyAsync(full: true, int.MaxValue, CancellationToken.None);
    Console.WriteLine($"audit: {verification.Chains} chains, {verification.Entries} entries checked");
    foreach (var broken in verification.Breaks)
    {
        Console.WriteLine($"BROKEN {broken.Subject} at entry {broken.Sequence}: {broken.Problem}");
    }

    Console.WriteLine(verification.Intact ? "audit: every chain holds" : $"audit: {verification.Breaks.Count} chain(s) broken");
    return verification.Intact ? 0 : 1;
}

if (args is ["models", "publish", ..])
{
    var storage = SupervisionStorage.FromConfiguration(
        new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [StorageNames.ConnectionSetting] = azurite.ConnectionString })
            .Build());
    var manifest = await new Supervision.Infrastructure.Scoring.ModelPublisher(storage)
        .PublishAsync(Option("--from", ModelPaths.ModelsDirectory(root)), DateTimeOffset.UtcNow, CancellationToken.None);
    Console.WriteLine("published: " + string.Join(", ", manifest.Models.Values));
    return 0;
}
settings["AzureWebJobsStorage"] = azurite.ConnectionString;
settings["Scoring:ModelDirectory"] = ModelPaths.EnsureModels(root, Console.Out);
settings[LocalIssuer.SigningKeySetting] = secrets.SigningKey;
if (string.IsNullOrEmpty(settings.GetValueOrDefault(ConsoleSignIn.DevelopmentKeySetting)))
{
    settings[ConsoleSignIn.DevelopmentKeySetting] = DevelopmentSignIn.KeyFrom(secrets.SigningKey);
}

if (string.IsNullOrEmpty(settings.GetValueOrDefault("Alerts:WebhookSecret")))
{
    settings["Alerts:WebhookSecret"] = secrets.WebhookSecret;
}

// The banner's enterprise tokens name subjects that the caller directory must map to their USCCs.
var callerDirectory = await LocalDirectory.OpenAsync(azurite.ConnectionString);
foreach (var uscc in DemoCases.Expected.Select(c => c.Uscc).Distinct())
{
    var entry = new DirectoryEntry(DemoCases.EnterpriseSubject(uscc), uscc, null);
    await callerDirectory.SaveAsync(entry, "local-host-demo", CancellationToken.None);
}

var app = LocalHostApp.Build(new LocalHostSettings(
    settings,
    port,
    AzuriteProcess.FreePort(),
    settings.GetValueOrDefault("LocalHost:TaskHub") ?? LocalHostApp.DefaultTaskHub,
    HostJson.ReadQueueSettings(Path.Combine(root, "host.json")),
    System.Text.Encoding.UTF8.GetBytes(settings["Alerts:WebhookSecret"]!),
    azurite));

app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine(Banner.Text(port, settings, issuer)));
await app.RunAsync();
return 0;
