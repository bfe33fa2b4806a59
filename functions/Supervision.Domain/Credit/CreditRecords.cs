namespace Supervision.Domain.Credit;

/// <summary>A commercial credit bureau's score for an enterprise (the Sesame Credit kind).</summary>
public sealed record CreditScoreRecord(string Uscc, double Score, string Grade, DateOnly AsOf, string ModelVersion);

/// <summary>A trade association's rating of a member enterprise.</summary>
public sealed record AssociationRating(string Uscc, string Rating, string Industry, DateOnly ValidUntil);
