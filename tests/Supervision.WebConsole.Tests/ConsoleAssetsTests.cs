using System.Text;
using System.Text.RegularExpressions;
using Supervision.WebConsole;

namespace Supervision.WebConsole.Tests;

/// <summary>
/// The console as embedded: every file a page or module names is served, the libraries came from
/// node_modules, and nothing the pages run could turn hostile text into markup or script.
/// </summary>
public sealed partial class ConsoleAssetsTests
{
    private static readonly ConsoleSignIn Development = new("development");
    private static readonly ConsoleSignIn Entra =
        new("entra", "client", "https://login.microsoftonline.com/tenant", ["api://client/.default"]);

    public static TheoryData<string> OwnScripts() => [.. ConsoleAssets.Paths.Where(p => p.StartsWith("js/", StringComparison.Ordinal))];

    public static TheoryData<string> Pages() => [.. ConsoleAssets.Paths.Where(p => p.EndsWith(".html", StringComparison.Ordinal))];

    [Fact]
    public void Libraries_AreEmbeddedFromNodeModules_WithTheirLicences()
    {
        string[] libraries =
        [
            "lib/chart.umd.min.js", "lib/chart.js.LICENSE.md", "lib/msal-browser.min.js", "lib/msal-browser.LICENSE.txt",
            "lib/swagger-ui-bundle.js", "lib/swagger-ui.css", "lib/swagger-ui.LICENSE.txt",
        ];

        Assert.All(libraries, path => Assert.True(ConsoleAssets.Find(path, false) is { Bytes.Length: > 100 }, $"{path} is not embedded"));
    }

    [Fact]
    public void EmptyPath_IsTheAppPage()
    {
        var page = ConsoleAssets.Find(string.Empty, false);

        Assert.NotNull(page);
        Assert.Equal(ConsolePaths.AppPage, page.Path);
        Assert.Equal("text/html; charset=utf-8", page.ContentType);
    }

    [Fact]
    public void DevelopmentSignInPage_IsServedOnlyWhereDevelopmentSignInIsOn()
    {
        Assert.NotNull(ConsoleAssets.Find(ConsolePaths.DevelopmentSignInPage, developmentSignIn: true));
        Assert.Null(ConsoleAssets.Find(ConsolePaths.DevelopmentSignInPage, developmentSignIn: false));
        Assert.Equal(404, ConsoleReply.For(ConsolePaths.DevelopmentSignInPage, Entra).Status);
        Assert.Equal(200, ConsoleReply.For(ConsolePaths.DevelopmentSignInPage, Development).Status);
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Pages_HaveNoInlineScript_AndNameOnlyServedFiles(string path)
    {
        var html = Text(path);

        Assert.DoesNotMatch(InlineScript(), html);
        Assert.DoesNotMatch(InlineHandler(), html);
        Assert.DoesNotContain("javascript:", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" style=", html, StringComparison.Ordinal);
        Assert.All(
            LocalReferences().Matches(html).Select(m => m.Groups["path"].Value),
            referenced => Assert.True(ConsoleAssets.Find(referenced, true) is not null, $"{path} names {referenced}, which is not served"));
    }

    [Theory]
    [MemberData(nameof(OwnScripts))]
    public void Scripts_NeverParseTextAsMarkup(string path)
    {
        var script = Text(path);

        string[] forbidden = ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", "localStorage"];
        Assert.All(forbidden, word => Assert.DoesNotContain(word, script, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(OwnScripts))]
    public void Scripts_ImportOnlyServedModules(string path)
    {
        var directory = path[..(path.LastIndexOf('/') + 1)];
        foreach (var import in ModuleImports().Matches(Text(path)).Select(m => m.Groups["module"].Value))
        {
            var resolved = Path.GetFullPath(Path.Combine("/" + directory, import))[1..].Replace('\\', '/');
            Assert.True(ConsoleAssets.Find(resolved, true) is not null, $"{path} imports {import} ({resolved}), which is not served");
        }
    }

    [Fact]
    public void EveryReply_CarriesThePolicy_WithoutInlineScript_AndNoSniff()
    {
        var reply = ConsoleReply.For("js/app.js", Entra);
        var headers = reply.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);

        Assert.Equal("text/javascript; charset=utf-8", headers["Content-Type"]);
        Assert.Equal("nosniff", headers["X-Content-Type-Options"]);
        Assert.Contains("script-src 'self';", headers["Content-Security-Policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", headers["Content-Security-Policy"], StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", headers["Content-Security-Policy"], StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", headers["Content-Security-Policy"], StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownPath_Is404_WithTheSameHeaders()
    {
        var reply = ConsoleReply.For("js/../../secrets.json", Entra);

        Assert.Equal(404, reply.Status);
        Assert.Contains(reply.Headers, h => h.Key == "Content-Security-Policy");
    }

    [Fact]
    public void Configuration_IsTheSignInTheHostChose()
    {
        var reply = ConsoleReply.For(ConsolePaths.Configuration, Entra);

        Assert.Equal(200, reply.Status);
        using var json = System.Text.Json.JsonDocument.Parse(reply.File.Bytes);
        var root = json.RootElement;
        Assert.Equal("entra", root.GetProperty("mode").GetString());
        Assert.Equal("client", root.GetProperty("clientId").GetString());
        Assert.Equal("https://login.microsoftonline.com/tenant", root.GetProperty("authority").GetString());
        Assert.Equal("api://client/.default", root.GetProperty("scopes")[0].GetString());
        Assert.Equal(4, root.EnumerateObject().Count());
    }

    private static string Text(string path) => Encoding.UTF8.GetString(ConsoleAssets.Find(path, true)!.Bytes);

    [GeneratedRegex(@"<script(?![^>]*\bsrc=)[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InlineScript();

    [GeneratedRegex(@"\son[a-z]+\s*=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineHandler();

    [GeneratedRegex(@"(?:src|href)=""/console/(?<path>[^""#?]+)""")]
    private static partial Regex LocalReferences();

    [GeneratedRegex(@"(?:from\s+|import\()\s*'(?<module>\.{1,2}/[^']+)'")]
    private static partial Regex ModuleImports();
}
