using Supervision.Domain.Enterprises;

namespace Supervision.Domain.Tests;

public class AliasRuleTests
{
    private static readonly Enterprise Alibaba = new("91330100D3M0000026", "阿里巴巴（中国）有限公司", "Alibaba (China) Co., Ltd.", []);
    private static readonly Enterprise Huaxia = new("91330100D3M0000018", "华夏示例食品有限公司", "Huaxia Example Foods Co. Ltd.", ["华夏示例食品"]);
    private static readonly Enterprise Dongfang = new("91310000D3M000002X", "东方样本化工股份有限公司", null, ["东方化工"]);

    private static readonly EnterpriseLinker Registry = new([Alibaba, Huaxia, Dongfang]);

    private static AliasRefusal? Check(Enterprise target, string alias) => AliasRule.Check(target, alias, Registry.Named);

    [Theory]
    [InlineData("华夏食品")]
    [InlineData("华夏示例")]
    [InlineData("Huaxia Foods")]
    [InlineData("华夏示例食品股份有限公司")]
    [InlineData("HUAXIA EXAMPLE FOODS LIMITED")]
    public void Check_AnotherNameOfTheSameEntity_IsAllowed(string alias) =>
        Assert.Null(Check(Huaxia, alias));

    [Fact]
    public void Check_SameLegalNameAndBracketedCountry_IsAllowed() =>
        Assert.Null(Check(Alibaba, "阿里巴巴（中国）股份有限公司"));

    [Theory]
    [InlineData("华夏示例食品有限公司上海分公司", "分公司")]
    [InlineData("中国银行杭州分行", "分行")]
    [InlineData("华夏示例食品西湖支行", "支行")]
    [InlineData("华夏示例食品南京路分店", "分店")]
    [InlineData("华夏示例食品证券营业部", "营业部")]
    [InlineData("华夏示例食品驻京办事处", "办事处")]
    [InlineData("华夏示例律师事务所上海分所", "分所")]
    [InlineData("Huaxia Example Foods Shanghai Branch", "Branch")]
    [InlineData("huaxia foods branch office", "Branch")]
    public void Check_BranchName_IsRefusedNamingTheBranchWord(string alias, string word)
    {
        var refusal = Check(Huaxia, alias);

        Assert.Equal(AliasRefusalKind.AnotherEntity, refusal?.Kind);
        Assert.Contains(word, refusal!.Reason, StringComparison.Ordinal);
        Assert.Contains("branch", refusal.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("阿里巴巴（中国）网络技术有限公司")]
    [InlineData("杭州阿里巴巴广告有限公司")]
    [InlineData("Alibaba (China) Network Technology Co., Ltd.")]
    public void Check_OwnNamePlusWordsWithALegalForm_IsRefusedAsSubsidiary(string alias)
    {
        var refusal = Check(Alibaba, alias);

        Assert.Equal(AliasRefusalKind.AnotherEntity, refusal?.Kind);
        Assert.Contains("subsidiary", refusal!.Reason, StringComparison.Ordinal);
        Assert.Contains("子公司", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OwnNameWithARegionInBracketsAndALegalForm_IsRefusedAsSubsidiary()
    {
        var refusal = Check(Huaxia, "华夏示例食品（上海）有限公司");

        Assert.Equal(AliasRefusalKind.AnotherEntity, refusal?.Kind);
        Assert.Contains("上海", refusal!.Reason, StringComparison.Ordinal);
        Assert.Contains("subsidiary", refusal.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AnotherEnterprisesSubsidiary_IsRefusedNamingThatEnterprise()
    {
        var refusal = Check(Huaxia, "东方样本化工贸易有限公司");

        Assert.Equal(AliasRefusalKind.AnotherEntity, refusal?.Kind);
        Assert.Contains(Dongfang.Name, refusal!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OwnNamePlusWordsWithoutALegalForm_IsAllowed() =>
        Assert.Null(Check(Huaxia, "华夏示例食品旗舰店"));

    [Theory]
    [InlineData("东方样本化工股份有限公司")]
    [InlineData("东方化工")]
    public void Check_AnotherRegisteredEnterprisesNameOrAlias_IsRefusedNamingIt(string alias)
    {
        var refusal = Check(Huaxia, alias);

        Assert.Equal(AliasRefusalKind.AnotherEntity, refusal?.Kind);
        Assert.Contains(Dongfang.Uscc, refusal!.Reason, StringComparison.Ordinal);
        Assert.Contains("another registered enterprise", refusal.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("华夏")]
    [InlineData("有限公司")]
    [InlineData("华夏示例|东方")]
    public void Check_NotAnAliasToLinkBy_IsInvalid(string alias) =>
        Assert.Equal(AliasRefusalKind.Invalid, Check(Huaxia, alias)?.Kind);

    [Fact]
    public void Check_TooLong_IsInvalid() =>
        Assert.Equal(AliasRefusalKind.Invalid, Check(Huaxia, new string('华', AliasRule.MaxLength + 1))?.Kind);
}
