using Supervision.Domain.Problems;

namespace Supervision.Domain.Tests;

/// <summary>Each kind of problem has its own type, and a title in Chinese with the English beside it.</summary>
public class ProblemKindsTests
{
    [Fact]
    public void All_HaveDistinctTypes_AndTitlesInChineseThenEnglish()
    {
        Assert.Equal(ProblemKinds.All.Count, ProblemKinds.All.Select(k => k.Type).Distinct(StringComparer.Ordinal).Count());
        Assert.All(ProblemKinds.All, kind =>
        {
            Assert.Matches("^urn:supervision:problem:[a-z]+(-[a-z]+)*$", kind.Type);
            Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}", kind.Title);
            Assert.Matches("[A-Za-z]", kind.TitleEn);
            Assert.DoesNotMatch(@"\p{IsCJKUnifiedIdeographs}", kind.TitleEn);
        });
    }
}
