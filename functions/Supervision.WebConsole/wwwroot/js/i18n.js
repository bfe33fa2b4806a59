// Chinese first, English switchable. Each page adds its own strings with addStrings; a key missing in
// English falls back to the Chinese, and a key missing everywhere shows as itself, so it is seen and fixed.
const strings = {
  zh: {
    brand: '联合奖惩审查', skip: '跳到正文', loading: '正在加载…', signOut: '退出', language: 'English',
    timesNote: '所有时间均为北京时间（UTC+8）', beijingTime: '北京时间',
    timeLeft: '剩余 {span}', overdueBy: '已逾期 {span}', days: '{n} 天', hours: '{n} 小时', minutes: '{n} 分',
    navQueue: '我的待办', navCases: '案件', navEnterprise: '本企业', navOperations: '运维', navAudit: '审计',
    navApi: '接口文档', notFound: '未找到此页面', notSignedIn: '未登录', signedInAs: '当前身份：{who}',
    errorTitle: '出错了', retry: '重试', none: '无', yes: '是', no: '否', save: '保存', cancel: '取消', submit: '提交',
    enterprise: '企业', uscc: '统一社会信用代码', memorandum: '备忘录', status: '状态', openedAt: '立案时间',
    deadline: '期限', countdown: '倒计时', department: '部门', caseId: '案件编号', comment: '意见', reason: '理由',
    'dept.customs': '海关', 'dept.tax': '税务', 'dept.inspection-quarantine': '检验检疫',
    'dept.procurement': '政府采购', 'dept.market-regulator': '市场监管',
    'role.reviewer': '审查员', 'role.supervisor': '主管', 'role.market-regulator.case-owner': '案件负责人',
    'role.operator': '运维人员', 'role.auditor': '审计人员', 'role.enterprise': '企业',
    'kind.punishment': '联合惩戒', 'kind.incentive': '联合激励',
    'status.pending': '审查中', 'status.measuresInForce': '措施实施中', 'status.closed': '已结案',
    'cat.customs': '海关', 'cat.environment': '环境', 'cat.finance': '金融', 'cat.food_drug': '食品药品', 'cat.fraud': '欺诈',
    'cat.labour': '劳动用工', 'cat.litigation': '诉讼', 'cat.privacy': '隐私', 'cat.procurement': '采购', 'cat.quality': '质量',
    'cat.tax': '税务', 'cat.none': '无',
  },
  en: {
    brand: 'Joint review', skip: 'Skip to content', loading: 'Loading…', signOut: 'Sign out', language: '中文',
    timesNote: 'All times are Beijing time (UTC+8)', beijingTime: 'Beijing time',
    timeLeft: '{span} left', overdueBy: 'overdue by {span}', days: '{n} d', hours: '{n} h', minutes: '{n} min',
    navQueue: 'My queue', navCases: 'Cases', navEnterprise: 'My enterprise', navOperations: 'Operations', navAudit: 'Audit',
    navApi: 'API reference', notFound: 'Page not found', notSignedIn: 'Not signed in', signedInAs: 'Signed in as {who}',
    errorTitle: 'Something went wrong', retry: 'Retry', none: 'None', yes: 'Yes', no: 'No', save: 'Save', cancel: 'Cancel',
    submit: 'Submit', enterprise: 'Enterprise', uscc: 'USCC', memorandum: 'Memorandum', status: 'Status', openedAt: 'Opened',
    deadline: 'Deadline', countdown: 'Countdown', department: 'Department', caseId: 'Case', comment: 'Comment', reason: 'Reason',
    'dept.customs': 'Customs', 'dept.tax': 'Tax', 'dept.inspection-quarantine': 'Inspection and quarantine',
    'dept.procurement': 'Government procurement', 'dept.market-regulator': 'Market regulator',
    'role.reviewer': 'reviewer', 'role.supervisor': 'supervisor', 'role.market-regulator.case-owner': 'Case owner',
    'role.operator': 'Operator', 'role.auditor': 'Auditor', 'role.enterprise': 'Enterprise',
    'kind.punishment': 'Joint punishment', 'kind.incentive': 'Joint incentive',
    'status.pending': 'Under review', 'status.measuresInForce': 'Measures in force', 'status.closed': 'Closed',
    'cat.customs': 'Customs', 'cat.environment': 'Environment', 'cat.finance': 'Finance', 'cat.food_drug': 'Food and drugs',
    'cat.fraud': 'Fraud', 'cat.labour': 'Labour', 'cat.litigation': 'Litigation', 'cat.privacy': 'Privacy',
    'cat.procurement': 'Procurement', 'cat.quality': 'Quality', 'cat.tax': 'Tax', 'cat.none': 'None',
  },
};

const languageKey = 'supervision.lang';

/** The language shown: "zh" unless English was chosen in this tab. */
export function lang() {
  return sessionStorage.getItem(languageKey) === 'en' ? 'en' : 'zh';
}

export function setLang(value) {
  sessionStorage.setItem(languageKey, value === 'en' ? 'en' : 'zh');
  document.documentElement.lang = value === 'en' ? 'en' : 'zh-CN';
}

/** Adds a page's strings: { zh: {...}, en: {...} }. */
export function addStrings(more) {
  for (const language of Object.keys(strings)) Object.assign(strings[language], more[language] ?? {});
}

/** The text for a key in the current language, with {name} placeholders filled from values. */
export function t(key, values = {}) {
  const text = strings[lang()][key] ?? strings.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in values ? String(values[name]) : `{${name}}`));
}

/** A known code's label (department, role, status…), or the code itself when the console has no label for it. */
export function label(prefix, code) {
  const key = `${prefix}.${code}`;
  return (strings[lang()][key] ?? strings.zh[key]) ? t(key) : String(code ?? '');
}

/** Fills every [data-i18n] element of the static page. */
export function translateStatic(root = document) {
  document.documentElement.lang = lang() === 'en' ? 'en' : 'zh-CN';
  for (const node of root.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
}
