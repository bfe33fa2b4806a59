using Supervision.Domain.Credit;
using Supervision.Domain.Reviews;

namespace Supervision.Domain.Tests;

public class GovernmentRecordTests
{
    private static readonly DateOnly Today = new(2026, 11, 28);

    [Fact]
    public void ReadGovernmentRecords_JsonLines_TakesGoodRowsAndNamesWhatIsWrongWithTheOthers()
    {
        const string text = """
            {"uscc":"91330100D3M0000018","record_type":"abnormal_operation","authority":"AMR","reference":"A-1","decided_on":"2026-06-30","severity":"ordinary","description":"annual report not filed"}
            {"uscc":"91330100D3M0000018","record_type":"administrative_penalty","authority":"AMR","reference":"P-1","decided_on":"2027-01-01","severity":"minor","description":"future"}
            {"uscc":"91330100D3M0000018","record_type":"administrative_penalty","authority":"AMR","reference":"P-2","decided_on":"2026-01-01","severity":"huge","description":"bad severity"}
            """;

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
        var penalty = new GovernmentRecord("U", GovernmentRecordType.AdministrativePenalty, "AMR", "P", new DateOnly(2026, 1, 1), severity, "d", null);

        Assert.Equal(DateOnly.Parse(until, System.Globalization.CultureInfo.InvariantCulture), penalty.CountsUntil);
    }

    [Fact]
    public void CountsUntil_RemovedListing_EndsOnTheDayOfRemoval()
    {
        var listing = new GovernmentRecord("U", GovernmentRecordType.AbnormalOperation, "AMR", "A", new DateOnly(2026, 1, 1), MeasureSeverity.Ordinary, "d", new DateOnly(2026, 3, 1));

        Assert.Equal(new DateOnly(2026, 3, 1), listing.CountsUntil);
        Assert.True(listing.Normalised < new GovernmentRecord("U", GovernmentRecordType.AdministrativePenalty, "AMR", "P", new DateOnly(2026, 1, 1), MeasureSeverity.Minor, "d", null).Normalised);
    }
}
