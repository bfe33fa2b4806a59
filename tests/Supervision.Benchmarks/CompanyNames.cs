using System.Globalization;
using Supervision.Domain.Enterprises;

namespace Supervision.Benchmarks;

/// <summary>One generated enterprise: a valid USCC and a plausible registered Chinese name.</summary>
internal sealed record GeneratedEnterprise(string Uscc, string Name);

/// <summary>
/// Plausible Chinese company names, made deterministically (city + trade name + industry + legal
/// form) with USCCs whose check characters are valid, because no licensed list of 100,000 real
/// registrations is available to copy (../shared/data/names is evaluation-only). Every name is
/// distinct once normalised, so the linker finds exactly one enterprise for each.
/// </summary>
internal static class CompanyNames
{
    // City and the administrative division code the USCC's positions 3–8 carry for it.
    private static readonly (string City, string Region)[] Cities =
    [
        ("杭州", "330100"), ("宁波", "330200"), ("温州", "330300"), ("嘉兴", "330400"), ("湖州", "330500"),
        ("绍兴", "330600"), ("金华", "330700"), ("台州", "331000"), ("南京", "320100"), ("无锡", "320200"),
        ("徐州", "320300"), ("常州", "320400"), ("苏州", "320500"), ("南通", "320600"), ("扬州", "321000"),
        ("合肥", "340100"), ("芜湖", "340200"), ("福州", "350100"), ("厦门", "350200"), ("泉州", "350500"),
        ("济南", "370100"), ("青岛", "370200"), ("烟台", "370600"), ("潍坊", "370700"), ("郑州", "410100"),
        ("洛阳", "410300"), ("武汉", "420100"), ("宜昌", "420500"), ("长沙", "430100"), ("株洲", "430200"),
        ("广州", "440100"), ("深圳", "440300"), ("珠海", "440400"), ("佛山", "440600"), ("东莞", "441900"),
        ("南宁", "450100"), ("成都", "510100"), ("绵阳", "510700"), ("贵阳", "520100"), ("昆明", "530100"),
        ("西安", "610100"), ("兰州", "620100"), ("太原", "140100"), ("石家庄", "130100"), ("唐山", "130200"),
        ("沈阳", "210100"), ("大连", "210200"), ("长春", "220100"), ("哈尔滨", "230100"), ("南昌", "360100"),
    ];

    // Characters trade names are commonly made of; two (sometimes three) make one trade name.
    private const string TradeCharacters =
        "华信诚泰恒瑞丰盛鑫源达宏昌隆兴旺安康和顺嘉豪汇通锦程金辉明德润泽博远卓越中天海宇星辰"
        + "佳美新城立荣振亚永富鼎元启航正道宝利天成九州祥云晨光益民众合联创万方聚力腾飞凯旋";

    private static readonly string[] Industries =
    [
        "食品", "餐饮管理", "化工", "建材", "电子科技", "信息技术", "网络科技", "生物科技", "医药", "医疗器械",
        "纺织", "服饰", "家具", "五金", "机械设备", "汽车零部件", "新能源", "环保科技", "物流", "供应链管理",
        "房地产开发", "物业管理", "建筑工程", "装饰工程", "农业开发", "农产品", "茶业", "酒业", "乳业", "水产",
        "印刷", "包装材料", "塑料制品", "文化传媒", "教育咨询", "旅游开发", "酒店管理", "健康管理", "贸易", "进出口",
    ];

    private static readonly string[] LegalForms = ["有限公司", "有限责任公司", "股份有限公司"];

    /// <summary>The first <paramref name="count"/> enterprises of the sequence; the same count always gives the same list.</summary>
    public static IReadOnlyList<GeneratedEnterprise> Generate(int count)
    {
        var random = new Random(20261207);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var enterprises = new List<GeneratedEnterprise>(count);
        while (enterprises.Count < count)
        {
            var (city, region) = Cities[random.Next(Cities.Length)];
            var tradeLength = random.Next(4) == 0 ? 3 : 2;
            var trade = string.Concat(Enumerable.Range(0, tradeLength).Select(_ => TradeCharacters[random.Next(TradeCharacters.Length)]));
            var name = city + trade + Industries[random.Next(Industries.Length)] + LegalForms[random.Next(LegalForms.Length)];
            if (!seen.Add(NameNormaliser.Normalise(name)))
            {
                continue;
            }

            // "91" (an enterprise registered with market regulation), the region, then a nine-character
            // organisation code made from the sequence number, and the check character.
            var body = "91" + region + "MA" + Base31(enterprises.Count, 7);
            enterprises.Add(new GeneratedEnterprise(Uscc.WithCheckCharacter(body), name));
        }

        return enterprises;
    }

    /// <summary>The registry's import file (uscc,name) for these enterprises.</summary>
    public static string WriteCsv(IReadOnlyList<GeneratedEnterprise> enterprises, string directory)
    {
        var path = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"enterprises-{enterprises.Count}.csv"));
        File.WriteAllLines(path, ["uscc,name", .. enterprises.Select(e => $"{e.Uscc},{e.Name}")]);
        return path;
    }

    private static string Base31(int value, int digits)
    {
        var chars = new char[digits];
        for (var i = digits - 1; i >= 0; i--)
        {
            chars[i] = Uscc.Alphabet[value % Uscc.Alphabet.Length];
            value /= Uscc.Alphabet.Length;
        }

        return new string(chars);
    }
}
