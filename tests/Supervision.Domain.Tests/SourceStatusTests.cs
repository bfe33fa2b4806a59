using Supervision.Domain.Ingestion;

namespace Supervision.Domain.Tests;

public class SourceStatusTests
{
    private static readonly DateTimeOffset Then = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);

    private static readonly SourceDefinition Entry =
        new("monitor", "monitor", SourceKind.NewsFeed, SourceFormat.Feed, 0.8) { Url = new Uri("https://monitor.test/rss") };

    [Fact]
    public void AfterFile_MissingFromTheFile_IsDisabledWithThatReasonSinceNow()
    {
        var listed = SourceStatus.AfterFile(null, Entry, Then);

        var missing = SourceStatus.AfterFile(listed, null, Now);

        Assert.True(listed.IsEnabled);
        Assert.Equal((SourceFileStatus.MissingFromFile, Now, false), (missing.File, missing.FileSince, missing.IsEnabled));
        Assert.Equal(SourceStatus.MissingFromFileReason, missing.Reason);
    }

    [Fact]
    public void AfterFile_NothingChanged_KeepsWhenTheStatusBegan()
    {
        var missing = SourceStatus.AfterFile(SourceStatus.AfterFile(null, Entry, Then), null, Then);

        Assert.Same(missing, SourceStatus.AfterFile(missing, null, Now));
    }

    [Fact]
    public void AfterFile_BackInTheFile_IsEnabledAgain()
    {
        var missing = SourceStatus.AfterFile(SourceStatus.AfterFile(null, Entry, Then), null, Then);

        var back = SourceStatus.AfterFile(missing, Entry, Now);

        Assert.Equal((SourceFileStatus.Listed, Now, true, null), (back.File, back.FileSince, back.IsEnabled, back.Reason));
    }

    [Fact]
    public void AfterFile_DisabledInTheFile_CarriesTheFilesReason()
    {
        var disabled = SourceStatus.AfterFile(null, Entry with { Enabled = false, DisabledReason = "contract ended" }, Now);

        Assert.Equal((SourceFileStatus.DisabledInFile, false), (disabled.File, disabled.IsEnabled));
        Assert.Equal($"{SourceStatus.DisabledInFileReason}: contract ended", disabled.Reason);
    }

    [Theory]
    [InlineData(RegulatorDecision.Suspended)]
    [InlineData(RegulatorDecision.Revoked)]
    public void AfterFile_RegulatorDecision_IsNeverLiftedByTheFile(RegulatorDecision decision)
    {
        var decided = SourceStatus.Listed with { Regulator = decision, RegulatorReason = "licence", RegulatorSince = Then };

        var afterRemoval = SourceStatus.AfterFile(decided, null, Now);
        var afterReturn = SourceStatus.AfterFile(afterRemoval, Entry, Now.AddDays(1));

        Assert.Equal((decision, "licence", Then), (afterReturn.Regulator, afterReturn.RegulatorReason, afterReturn.RegulatorSince));
        Assert.Equal(SourceFileStatus.Listed, afterReturn.File);
        Assert.False(afterReturn.IsEnabled);
        Assert.Contains(decision.ToString(), afterReturn.Reason, StringComparison.Ordinal);
        Assert.Contains(SourceStatus.MissingFromFileReason, afterRemoval.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_DisabledReasonOnAnEnabledSource_IsReported()
    {
        var problems = (Entry with { DisabledReason = "contract ended" }).Problems();

        Assert.Contains(problems, p => p.Contains("disabledReason", StringComparison.Ordinal));
        Assert.Empty((Entry with { Enabled = false, DisabledReason = "contract ended" }).Problems());
    }
}
