using System.Text.Json;
using Supervision.Domain.Credit;
using Supervision.Domain.Reviews;

namespace Supervision.Domain.Tests;

public class GovernmentRecordTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    [Fact]
    public void ReadGovernmentRecords_JsonLines_TakesGoodRowsAndNamesWhatIsWrongWithTheOthers()
    {
        var text = string.Join(
            '\n',
            JsonLine("abnormal_operation", "A-1", "2026-06-30", "ordinary", "annual report not filed"),
            JsonLine("administrative_penalty", "P-1", "2027-01-01", "minor", "future"),
            JsonLine("administrative_penalty", "P-2", "2026-01-01", "huge", "bad severity"));

        var result = CreditRecordReader.ReadGovernmentRecords(text, json: true, Today);

        var record = Assert.Single(result.Records).Record;
        Assert.Equal(GovernmentRecordType.AbnormalOperation, record.RecordType);
        Assert.Equal(2, result.Errors.Count);
        Assert.Contains("in the future", result.Errors[0].Reason, StringComparison.Ordinal);
        Assert.Contains("severity 'huge'", result.Errors[1].Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MeasureSeverity.Minor, "2026-04-03")]
    [InlineData(MeasureSeverity.Ordinary, "2027-01-02")]
    [InlineData(MeasureSeverity.Serious, "2029-01-01")]
    public void CountsUntil_Penalty_IsItsSeveritysLongestPublicationPeriod(MeasureSeverity severity, string until)
    {
        var penalty = new GovernmentRecord(
            "U", GovernmentRecordType.AdministrativePenalty, "AMR", "P", new DateOnly(2026, 1, 1), severity, "d", null);

        Assert.Equal(DateOnly.Parse(until, System.Globalization.CultureInfo.InvariantCulture), penalty.CountsUntil);
    }

    [Fact]
    public void CountsUntil_RemovedListing_EndsOnTheDayOfRemoval()
    {
        var listing = new GovernmentRecord(
            "U",
            GovernmentRecordType.AbnormalOperation,
            "AMR",
            "A",
            new DateOnly(2026, 1, 1),
            MeasureSeverity.Ordinary,
            "d",
            RemovedOn: new DateOnly(2026, 3, 1));
        var minorPenalty = new GovernmentRecord(
            "U", GovernmentRecordType.AdministrativePenalty, "AMR", "P", new DateOnly(2026, 1, 1), MeasureSeverity.Minor, "d", null);

        Assert.Equal(new DateOnly(2026, 3, 1), listing.CountsUntil);
        Assert.True(listing.Normalised < minorPenalty.Normalised);
    }

    /// <summary>One authority record about the demo enterprise, as a line of a JSON Lines file.</summary>
    private static string JsonLine(string recordType, string reference, string decidedOn, string severity, string description) =>
        JsonSerializer.Serialize(new
        {
            uscc = "91330100D3M0000018",
            record_type = recordType,
            authority = "AMR",
            reference,
            decided_on = decidedOn,
            severity,
            description,
        });
}
