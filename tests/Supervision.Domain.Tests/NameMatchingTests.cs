using Supervision.Domain.Enterprises;

namespace Supervision.Domain.Tests;

public class NameMatchingTests
{
    [Theory]
    [InlineData("华夏示例食品有限公司", "华夏示例食品")]
    [InlineData("华夏示例食品股份有限公司", "华夏示例食品")]
    [InlineData("谷歌信息技术（中国）有限公司", "谷歌信息技术")]
    [InlineData("锤子科贸（上海）有限公司", "锤子科贸")]
    [InlineData("天津云上畅游科技合伙企业（有限合伙）", "天津云上畅游科技")]
    [InlineData("Huaxia Example Foods Co., Ltd.", "huaxiaexamplefoods")]
    [InlineData("ＨＵＡＸＩＡ　Ｆｏｏｄｓ　Ｃｏ．，Ｌｔｄ．", "huaxiafoods")]
    [InlineData("OAO Gazprom", "gazprom")]
    [InlineData("FABERLIC EUROPE Sp. z o.o.", "faberliceurope")]
    [InlineData("Siemens AG", "siemens")]
    public void Normalise_DropsLegalFormsQualifiersWidthAndCase(string name, string expected) =>
        Assert.Equal(expected, NameNormaliser.Normalise(name));

    [Fact]
    public void Normalise_KeepsAtLeastOneWord() => Assert.Equal("limited", NameNormaliser.Normalise("Limited"));

    [Theory]
    [InlineData("Gazprom Neft JSC", "Gazprom Neft OAO", true)]
    [InlineData("OAO Gazprom", "Gazprom JSC", true)]
    [InlineData("LXC Aviation", "L.X.C Aviation", true)]
    [InlineData("LXC Aviation", "LAU Aviation", false)]
    [InlineData("厦门象屿集团有限公司", "厦门象屿集团股份有限公司", true)]
    [InlineData("厦门象屿集团有限公司", "厦门中骏集团有限公司", false)]
    public void Compare_LabelledPairs(string left, string right, bool same)
    {
        var match = NameMatcher.Compare(left, right);

        Assert.Equal(same, match.IsMatch);
        Assert.False(string.IsNullOrWhiteSpace(match.Explanation));
    }

    [Fact]
    public void LinkOrganisations_MatchesRegisteredNameOrFormerName()
    {
        var huaxia = new Enterprise("91330100D3M0000018", "华夏示例食品有限公司", "Huaxia Example Foods Co. Ltd.", []) { FormerNames = ["杭州华夏食品厂"] };
        var linker = new EnterpriseLinker([huaxia]);

        Assert.Equal(huaxia, linker.LinkOrganisations(["Huaxia Example Foods Company Limited"]).Enterprise);
        Assert.Equal(huaxia, linker.LinkOrganisations(["杭州华夏食品厂"]).Enterprise);
        Assert.False(linker.LinkOrganisations(["Dongfang Chemicals"]).IsLinked);
    }
}
