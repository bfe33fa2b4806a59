using System.Globalization;
using Supervision.Domain.Ingestion;

namespace Supervision.Benchmarks;

/// <summary>
/// Adverse news items about named enterprises, written for the benchmarks: each names one
/// enterprise in full, and no two are near-duplicates (SimHash within three bits), so every item
/// becomes a signal of its own instead of joining another's story.
/// </summary>
internal sealed class BenchNews(int seed)
{
    private static readonly string[] Events =
    [
        "{0}被市场监管部门立案调查，涉嫌虚假宣传，拟罚款{1}万元",
        "{0}拖欠{1}名员工数月工资，工人到园区门口集体讨薪",
        "{0}多批次产品抽检不合格，{1}批次被责令下架召回",
        "{0}偷排未经处理的废水被生态环境部门处罚{1}万元",
        "消费者投诉{0}预付卡无法退款，涉及金额约{1}万元",
        "{0}资金链断裂，{1}家供应商起诉讨要拖欠货款",
        "{0}违规收集用户个人信息约{1}万条，被网信部门约谈整改",
        "{0}因拒不履行生效判决被法院列入失信名单，执行标的{1}万元",
        "{0}销售过期变质商品被顾客举报，执法人员现场查扣{1}公斤",
        "{0}安全生产隐患整改不力，应急管理部门责令停产并罚款{1}万元",
    ];

    private static readonly string[] Details =
    [
        "记者多次联系企业均未获回应。", "当地部门表示将依法从严处理。", "多名消费者在网上发帖维权。",
        "这已是该企业今年第{0}次被曝光。", "相关负责人称正在核实情况。", "涉事门店已暂停营业。",
        "律师认为企业可能面临更重处罚。", "有员工称问题已持续{0}个月。", "行业协会已启动调查程序。",
        "监管部门将其列为重点监管对象。", "周边居民反映情况已有{0}周。", "平台已下架其全部商品。",
    ];

    private readonly Random random = new(seed);
    private readonly FingerprintBands seen = new();
    private int number;

    /// <summary>Items rejected because they came too close to an earlier one.</summary>
    public int Rerolled { get; private set; }

    /// <summary>The next item about an enterprise, for a source.</summary>
    public PublishedItem Next(int source, string uscc, string enterpriseName)
    {
        while (true)
        {
            var title = string.Format(
                CultureInfo.InvariantCulture, Events[random.Next(Events.Length)], enterpriseName, random.Next(3, 980));
            var summary = string.Concat(Enumerable.Range(0, 2).Select(_ =>
                string.Format(CultureInfo.InvariantCulture, Details[random.Next(Details.Length)], random.Next(2, 40))));
            var fingerprint = SimHash.Fingerprint(title + "\n" + summary);
            if (fingerprint is { } print && seen.Nearest(print) is not null)
            {
                Rerolled++;
                continue;
            }

            var item = new PublishedItem(
                number, source, string.Create(CultureInfo.InvariantCulture, $"bench-item-{number:D7}"), uscc, title, summary);
            number++;
            if (fingerprint is { } kept)
            {
                seen.Add(kept, item.Guid);
            }

            return item;
        }
    }

    /// <summary>The id the pipeline gives this item (its source's id and the publisher's guid).</summary>
    public static string ItemIdOf(string sourceId, PublishedItem item) =>
        NormalisedItem.IdentityFor(sourceId, item.Guid, null, item.Title);
}
