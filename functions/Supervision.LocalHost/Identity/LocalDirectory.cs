using Microsoft.Extensions.Options;
using Supervision.Domain.Security;
using Supervision.Infrastructure.Api.Identity;
using Supervision.Infrastructure.Storage;

namespace Supervision.LocalHost.Identity;

/// <summary>The caller directory in the local Azurite, for the token and directory commands.</summary>
internal static class LocalDirectory
{
    public static async Task<CallerDirectory> OpenAsync(string connectionString)
    {
        var storage = SupervisionStorage.FromConfiguration(
            new Microsoft.Extensions.Configuration.ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { [StorageNames.ConnectionSetting] = connectionString })
                .Build());
        await storage.Table(StorageNames.Tables.CallerDirectory).CreateIfNotExistsAsync();
        return new CallerDirectory(storage, Options.Create(new AuthOptions()), TimeProvider.System);
    }

    /// <summary>"directory show SUBJECT" or "directory set SUBJECT --enterprise USCC | --institution ID"; the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, string connectionString, TextWriter output, TextWriter errors)
    {
        if (args is not ([_, "show", _, ..] or [_, "set", _, ..]))
        {
            await errors.WriteLineAsync(
                "用法 / usage: directory show SUBJECT | directory set SUBJECT --enterprise USCC | --institution ID");
            return 2;
        }

        var directory = await OpenAsync(connectionString);
        if (args[1] == "show")
        {
            var stored = await directory.ReadAsync(args[2], CancellationToken.None);
            await output.WriteLineAsync(stored is null
                ? $"{args[2]}: 目录中没有 / not in the directory"
                : $"{args[2]}: uscc={stored.Entry.Uscc ?? "-"} institution={stored.Entry.Institution ?? "-"} "
                    + $"(by {stored.UpdatedBy} at {stored.UpdatedAt:u})");
            return stored is null ? 1 : 0;
        }

        string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
        var entry = new DirectoryEntry(args[2], Option("--enterprise"), Option("--institution"));
        if (entry.Problem() is { } problem)
        {
            await errors.WriteLineAsync(problem);
            return 2;
        }

        await directory.SaveAsync(entry, "local-operator", CancellationToken.None);
        await output.WriteLineAsync($"{entry.Subject} -> {entry.Uscc ?? entry.Institution}");
        return 0;
    }
}
