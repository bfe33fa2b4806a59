using Microsoft.Extensions.Configuration;
using Supervision.Infrastructure.Hosting;
using Supervision.LocalHost.Triggers;
using Supervision.Trainer;

namespace Supervision.LocalHost.Tests;

public class TriggerSettingsTests
{
    [Fact]
    public void ResolveSchedule_SettingName_IsReadFromConfiguration()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["FEED_PULL_SCHEDULE"] = "*/10 * * * * *" })
            .Build();

        var cron = TimerScheduler.ResolveSchedule("%FEED_PULL_SCHEDULE%", configuration);

        var from = new DateTime(2026, 11, 28, 12, 0, 3, DateTimeKind.Utc);
        Assert.Equal(from.AddSeconds(7), cron.GetNextOccurrence(from));
    }

    [Theory]
    [InlineData("%MISSING%", "not set")]
    [InlineData("every ten seconds", "six-field NCRONTAB")]
    public void ResolveSchedule_BadSchedule_SaysWhatIsWrong(string schedule, string message)
    {
        var error = Assert.Throws<InvalidOperationException>(
            () => TimerScheduler.ResolveSchedule(schedule, new ConfigurationBuilder().Build()));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveSchedule_EveryTimer_IsSetInTheSampleSettings()
    {
        // The tracked sample alone, not a developer's own local.settings.json.
        var directory = Directory.CreateTempSubdirectory("sample-settings-");
        try
        {
            const string sample = "local.settings.sample.json";
            File.Copy(Path.Combine(ModelPaths.FindRepositoryRoot(), sample), Path.Combine(directory.FullName, sample));
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(LocalSettings.Load(directory.FullName)).Build();

            Assert.All(LocalFunctions.Timers, timer => TimerScheduler.ResolveSchedule(timer.Schedule, configuration));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void HostJson_QueueSettings_AreTheFunctionAppsOwn()
    {
        var settings = HostJson.ReadQueueSettings(Path.Combine(ModelPaths.FindRepositoryRoot(), "host.json"));

        Assert.Equal(new QueueSettings(5, TimeSpan.FromSeconds(5), 16, TimeSpan.FromMilliseconds(200)), settings);
    }
}
