namespace Supervision.Domain.Credit;

/// <summary>The kinds of authority records the portrait and the memoranda know.</summary>
public enum GovernmentRecordType
{
    /// <summary>An administrative penalty decision (行政处罚).</summary>
    AdministrativePenalty,

    /// <summary>Listed for abnormal operation (经营异常名录), for example for not filing an annual report.</summary>
    AbnormalOperation,

    /// <summary>Listed as a seriously illegal and dishonest enterprise (严重违法失信名单).</summary>
    SeriousViolation,
}

/// <summary>
/// An authority's record about an enterprise. A penalty is published for as long as the
/// credit-repair rules allow for its severity; a listing stands until the authority removes it.
/// </summary>
public sealed record GovernmentRecord(
    string Uscc,
    GovernmentRecordType RecordType,
    string Authority,
    string Reference,
    DateOnly DecidedOn,
    Reviews.MeasureSeverity Severity,
    string Description,
    DateOnly? RemovedOn)
{
    /// <summary>The record-type names used in files and in memoranda.</summary>
    public static readonly IReadOnlyDictionary<string, GovernmentRecordType> TypeNames =
        new Dictionary<string, GovernmentRecordType>(StringComparer.Ordinal)
        {
            ["administrative_penalty"] = GovernmentRecordType.AdministrativePenalty,
            ["abnormal_operation"] = GovernmentRecordType.AbnormalOperation,
            ["serious_violation"] = GovernmentRecordType.SeriousViolation,
        };

    public string TypeName => TypeNames.First(t => t.Value == RecordType).Key;

    /// <summary>
    /// Until when the record counts: a penalty for its severity's longest publication period
    /// (minor 3 months, ordinary 1 year, serious 3 years), a listing for three years, either
    /// ending early on the day the authority removed it.
    /// </summary>
    public DateOnly CountsUntil
    {
        get
        {
            var period = RecordType == GovernmentRecordType.AdministrativePenalty
                ? Reviews.CreditRepairRules.Bounds(Severity).Maximum
                : TimeSpan.FromDays(1096);
            var end = DecidedOn.AddDays((int)period.TotalDays);
            return RemovedOn is { } removed && removed < end ? removed : end;
        }
    }

    /// <summary>What the record says about creditworthiness on the portrait's 0–100 scale.</summary>
    public double Normalised => RecordType switch
    {
        GovernmentRecordType.SeriousViolation => 0,
        GovernmentRecordType.AbnormalOperation => 40,
        _ => Severity switch
        {
            Reviews.MeasureSeverity.Minor => 70,
            Reviews.MeasureSeverity.Ordinary => 40,
            _ => 15,
        },
    };
}
