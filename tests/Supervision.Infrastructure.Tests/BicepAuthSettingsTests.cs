using System.Diagnostics;
using System.Text.Json.Nodes;
using Supervision.Trainer;

namespace Supervision.Infrastructure.Tests;

/// <summary>
/// The compiled Bicep (bicep build, the CLI from NuGet that infra/lint uses): App Service Authentication
/// is configured only with an app registration's client id, with the JWT validator's audience, and
/// lets every request through to the app's own access rules.
/// </summary>
public class BicepAuthSettingsTests
{
    private static readonly Lazy<JsonObject> Compiled = new(Compile);

    [Fact]
    public void Build_WithClientId_AuthSettingsHaveTheValidatorsAudienceAndAllowAnonymous()
    {
        var (appSettings, auth) = Deployed("client-0001");

        Assert.NotNull(auth);
        Assert.Equal("client-0001", appSettings["Auth__Audience"]);
        Assert.Equal("https://login.microsoftonline.com/tenant-0001/v2.0", appSettings["Auth__Authority"]);
        var aad = auth["identityProviders"]!["azureActiveDirectory"]!;
        Assert.Equal([appSettings["Auth__Audience"]], aad["validation"]!["allowedAudiences"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(appSettings["Auth__Authority"], (string?)aad["registration"]!["openIdIssuer"]);
        Assert.True((bool)auth["platform"]!["enabled"]!);
        Assert.False((bool)auth["globalValidation"]!["requireAuthentication"]!);
        Assert.Equal("AllowAnonymous", (string?)auth["globalValidation"]!["unauthenticatedClientAction"]);
    }

    [Fact]
    public void Build_WithoutClientId_NoAuthSettingsAndNoIssuer()
    {
        var (appSettings, auth) = Deployed(string.Empty);

        Assert.Null(auth);
        Assert.DoesNotContain(appSettings.Keys, k => k.StartsWith("Auth__", StringComparison.Ordinal));
    }

    [Fact]
    public void Build_MainTemplate_PassesItsClientIdParameterToTheFunctionsModule()
    {
        var functions = Resources(Compiled.Value).Single(r => (string?)r["name"] == "functions");

        Assert.Equal(string.Empty, (string?)Compiled.Value["parameters"]!["authClientId"]!["defaultValue"]);
        Assert.Equal("[parameters('authClientId')]", (string?)functions["properties"]!["parameters"]!["authClientId"]!["value"]);
    }

    /// <summary>The functions module's app settings and authsettingsV2 properties (null when not deployed) for this client id.</summary>
    private static (Dictionary<string, string?> AppSettings, JsonNode? Auth) Deployed(string clientId)
    {
        var module = Resources(Compiled.Value).Single(r => (string?)r["name"] == "functions")["properties"]!["template"]!.AsObject();
        var arm = new ArmExpression(module, new Dictionary<string, JsonNode?> { ["authClientId"] = JsonValue.Create(clientId) });
        var site = Resources(module).Single(r => (string?)r["type"] == "Microsoft.Web/sites");
        var appSettings = arm.Evaluate(site["properties"]!["siteConfig"]!["appSettings"])!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => (string?)s!["value"]);
        var config = Resources(module).Where(r => (string?)r["type"] == "Microsoft.Web/sites/config").ToList();
        var auth = Assert.Single(config, c => arm.Evaluate(c["name"])!.ToString().EndsWith("/authsettingsV2", StringComparison.Ordinal));
        var deployed = auth["condition"] is null || (bool)arm.Evaluate(auth["condition"])!;
        return (appSettings, deployed ? arm.Evaluate(auth["properties"]) : null);
    }

    private static IEnumerable<JsonObject> Resources(JsonObject template) => template["resources"] switch
    {
        JsonArray list => list.Select(r => r!.AsObject()),
        JsonObject named => named.Select(r => r.Value!.AsObject()),
        _ => [],
    };

    private static JsonObject Compile()
    {
        var infra = Path.Combine(ModelPaths.FindRepositoryRoot(AppContext.BaseDirectory), "infra");
        Run("dotnet", $"restore \"{Path.Combine(infra, "tools", "BicepCli.csproj")}\"", infra);
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var bicep = Path.Combine(packages, "azure.bicep.commandline.linux-x64", "0.49.2", "tools", "bicep");
        if (!OperatingSystem.IsWindows())
        {
            // NuGet unpacks the binary without its execute bit, as infra/lint knows too.
            File.SetUnixFileMode(bicep, File.GetUnixFileMode(bicep) | UnixFileMode.UserExecute);
        }

        return JsonNode.Parse(Run(bicep, "build main.bicep --stdout", infra))!.AsObject();
    }

    private static string Run(string file, string arguments, string directory)
    {
        using var process = Process.Start(new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Result : throw new InvalidOperationException($"{file} {arguments}: {errors.Result}");
    }
}
