using Supervision.Domain.Enterprises;

namespace Supervision.Domain.Tests;

public class EnterpriseLinkerTests
{
    private static readonly Enterprise Huaxia = new("91330100D3M0000018", "华夏示例食品有限公司", "Huaxia Example Foods Co. Ltd.", ["华夏示例食品"]);
    private static readonly Enterprise Dongfang = new("91310000D3M000002X", "东方样本化工股份有限公司", "Dongfang Sample Chemicals Co. Ltd.", []);

    [Theory]
    [InlineData("华夏示例食品有限公司", "华夏示例食品")]
    [InlineData("华夏示例食品（中国）有限公司", "华夏示例食品")]
    [InlineData("Huaxia Example Foods Co., Ltd.", "huaxiaexamplefoods")]
    [InlineData("ＨＵＡＸＩＡ  Example Foods Limited", "huaxiaexamplefoods")]
    [InlineData("东方样本化工股份有限公司", "东方样本化工")]
    public void Normalise_LegalFormsWidthAndCase_AreFolded(string name, string expected) =>
        Assert.Equal(expected, NameNormaliser.Normalise(name));

    [Fact]
    public void Link_TextNamingOneEnterprise_LinksItWithExplanation()
    {
        var result = new EnterpriseLinker([Huaxia, Dongfang]).Link("监管部门通报，华夏示例食品销售过期奶粉");

        Assert.Equal(Huaxia.Uscc, result.Enterprise?.Uscc);
        Assert.Contains("华夏示例食品", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_EnglishNameInText_Links()
    {
        var result = new EnterpriseLinker([Huaxia, Dongfang]).Link("Regulators fined Huaxia Example Foods for expired milk");

        Assert.Equal(Huaxia.Uscc, result.Enterprise?.Uscc);
    }

    [Fact]
    public void Link_TextNamingNobody_IsUnlinkedWithReason()
    {
        var result = new EnterpriseLinker([Huaxia, Dongfang]).Link("某地餐馆后厨卫生堪忧");

        Assert.False(result.IsLinked);
        Assert.Contains("no registered enterprise", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Link_TextNamingTwoEnterprises_IsLeftForAnOperator()
    {
        var result = new EnterpriseLinker([Huaxia, Dongfang]).Link("华夏示例食品与东方样本化工同时被查");

        Assert.False(result.IsLinked);
        Assert.Contains("more than one", result.Explanation, StringComparison.Ordinal);
    }
}
