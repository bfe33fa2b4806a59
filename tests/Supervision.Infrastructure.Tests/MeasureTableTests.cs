using Supervision.Infrastructure.Reviews;

namespace Supervision.Infrastructure.Tests;

/// <summary>The measures table's row key: case, department and code, safe for a table key.</summary>
public class MeasureTableTests
{
    [Fact]
    public void RowKeyFor_PlainIds_JoinsCaseDepartmentAndCodeWithBars()
    {
        var key = MeasureTable.RowKeyFor("JP-DISHONEST-2016-U", "customs", "CUSTOMS-AEO-REFUSED");

        Assert.Equal("JP-DISHONEST-2016-U|customs|CUSTOMS-AEO-REFUSED", key);

    }

    [Fact]
    public void RowKeyFor_CharactersATableKeyRefuses_AreReplaced()
    {
        Assert.Equal("JP-1-91_X|tax|A_B_C_D", MeasureTable.RowKeyFor("JP-1-91/X", "tax", "A#B?C\\D"));
    }
}
