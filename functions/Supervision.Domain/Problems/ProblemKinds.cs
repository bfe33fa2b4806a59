namespace Supervision.Domain.Problems;

/// <summary>
/// One kind of problem the API answers with (RFC 9457): its <see cref="Type"/>, a URN that stays the same
/// while the wording changes, and its title, Chinese first with the English beside it, as the console shows it.
/// </summary>
public sealed record ProblemKind(string Name, string TitleZh, string TitleEn)
{
    /// <summary>Every problem type starts with this; openapi.json lists each one under the Problem schema.</summary>
    public const string TypePrefix = "urn:supervision:problem:";

    public string Type => TypePrefix + Name;

    public string Title => $"{TitleZh} {TitleEn}";
}

/// <summary>
/// Every kind of problem the API answers with. A refusal names one of these, never free text, so that
/// each problem carries a type a client can branch on and a Chinese title; a test checks that
/// openapi.json documents each type.
/// </summary>
public static class ProblemKinds
{
    // Access (the API gate).
    public static readonly ProblemKind Unauthenticated = new("unauthenticated", "身份未识别", "Who are you?");
    public static readonly ProblemKind NotAllowed = new("not-allowed", "无权访问", "Not allowed");
    public static readonly ProblemKind NotThisEnterprise = new("not-this-enterprise", "非本企业案件", "Not this enterprise");
    public static readonly ProblemKind OwnRowsUnclear = new("own-rows-unclear", "无法仅提供本企业的记录", "Own rows cannot be told apart");

    // Reading requests: query, paging, bodies.
    public static readonly ProblemKind DepartmentNeeded = new("department-needed", "请选择部门", "Choose a department");
    public static readonly ProblemKind UnknownStatus = new("unknown-status", "未知的案件状态", "Unknown status");
    public static readonly ProblemKind FiltersDoNotCombine = new("filters-do-not-combine", "筛选条件不能同时使用", "Filters do not combine");
    public static readonly ProblemKind InvalidPageSize = new("invalid-page-size", "每页条数无效", "Invalid page size");
    public static readonly ProblemKind PageTokenRefused = new("page-token-refused", "翻页令牌无效", "Continuation token refused");
    public static readonly ProblemKind BodyTooLarge = new("body-too-large", "请求内容过长", "Body too large");
    public static readonly ProblemKind MalformedDecision = new("malformed-decision", "决定格式错误", "Malformed decision");
    public static readonly ProblemKind UnknownVerdict = new("unknown-verdict", "未知的审查结论", "Unknown verdict");
    public static readonly ProblemKind NotARuling = new("not-a-ruling", "裁定结论无效", "Not a ruling");
    public static readonly ProblemKind ReasonNeeded = new("reason-needed", "请说明理由", "Reason needed");
    public static readonly ProblemKind InvalidAwaiting = new("invalid-awaiting", "待决筛选参数无效", "Invalid awaiting");
    public static readonly ProblemKind InvalidDirectoryEntry = new("invalid-directory-entry", "目录条目无效", "Not a directory entry");

    // What is not there.
    public static readonly ProblemKind NoSuchCase = new("no-such-case", "案件不存在", "No such case");
    public static readonly ProblemKind NoSuchReview = new("no-such-review", "该部门未审查此案", "No such review");
    public static readonly ProblemKind NoMeasuresToImplement = new("no-measures-to-implement", "无待落实的措施", "No measures to implement");
    public static readonly ProblemKind NoPortrait = new("no-portrait", "暂无信用画像", "No portrait");
    public static readonly ProblemKind NoSuchEvidence = new("no-such-evidence", "证据不存在", "No such evidence");
    public static readonly ProblemKind RawBytesMissing = new("raw-bytes-missing", "原始数据不存在", "Raw bytes not found");
    public static readonly ProblemKind NotInDirectory = new("not-in-directory", "目录中无此主体", "Not in the directory");

    // The case's state does not allow it.
    public static readonly ProblemKind NotInThisRound = new("not-in-this-round", "不参与本轮审查", "Not in this round");
    public static readonly ProblemKind ReviewNotOpen = new("review-not-open", "审查尚未开始", "Review not open yet");
    public static readonly ProblemKind AlreadyDecided = new("already-decided", "已作出决定", "Already decided");
    public static readonly ProblemKind DeadlinePassed = new("deadline-passed", "已过审查期限", "Deadline passed");
    public static readonly ProblemKind ReviewClosed = new("review-closed", "审查已结束", "Review closed");
    public static readonly ProblemKind AlreadyObjected = new("already-objected", "已提出异议", "Already objected");
    public static readonly ProblemKind NoObjectionPossible = new("no-objection-possible", "不能提出异议", "No objection possible");
    public static readonly ProblemKind NothingToRepair = new("nothing-to-repair", "无可修复的措施", "Nothing to repair");
    public static readonly ProblemKind RepairPending = new("repair-pending", "信用修复申请待裁定", "Repair request pending");
    public static readonly ProblemKind NoRepairRequest = new("no-repair-request", "无待裁定的修复申请", "No repair request");
    public static readonly ProblemKind AlreadyRuled = new("already-ruled", "已作出裁定", "Already ruled");

    // Operators' actions on what went wrong.
    public static readonly ProblemKind NoSuchFailure = new("no-such-failure", "没有该失败记录", "No such failure");
    public static readonly ProblemKind NotPoisoned = new("not-poisoned", "消息未进入毒队列", "Not poisoned");
    public static readonly ProblemKind MessageNotKept = new("message-not-kept", "未保存消息内容", "Message not kept");
    public static readonly ProblemKind NoSuchMention = new("no-such-mention", "没有该未关联提及", "No such mention");
    public static readonly ProblemKind InvalidUscc = new("invalid-uscc", "统一社会信用代码无效", "Invalid USCC");
    public static readonly ProblemKind NotRegistered = new("not-registered", "未登记的企业", "Not registered");
    public static readonly ProblemKind LinkedElsewhere = new("linked-elsewhere", "已确认关联到其他企业", "Already linked elsewhere");
    public static readonly ProblemKind NotAnAlias = new("not-an-alias", "不是可用的别名", "Not an alias");
    public static readonly ProblemKind AliasNamesAnother = new("alias-names-another", "别名会指向另一主体", "Names another entity");
    public static readonly ProblemKind InvalidWindow = new("invalid-window", "时间范围无效", "Invalid window");
    public static readonly ProblemKind NoSuchSource = new("no-such-source", "没有该数据源", "No such source");

    /// <summary>Every kind above, for the document test.</summary>
    public static IReadOnlyList<ProblemKind> All { get; } =
        typeof(ProblemKinds).GetFields()
            .Where(f => f.FieldType == typeof(ProblemKind))
            .Select(f => (ProblemKind)f.GetValue(null)!)
            .ToList();
}
