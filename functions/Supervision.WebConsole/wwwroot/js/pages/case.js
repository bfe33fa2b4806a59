// One case: the enterprise and memorandum, each department's progress, the decision form for my department,
// the portrait it opened on (each contribution and its weight), the portrait's history as a chart, the
// evidence with its archived bytes, objections, repair requests and rulings, implementation reports, audit.
import { el, show, table, facts } from '../dom.js';
import { addStrings, t, label } from '../i18n.js';
import { api } from '../api.js';
import { beijing, countdown, keepCountingDown } from '../time.js';
import { progressOf } from './queue.js';
import { portraitChart, downloadRaw } from './case-parts.js';
import { decisionForm, implementationForm, repairRulingForm } from './case-forms.js';

addStrings({
  zh: {
    caseTitle: '案件 {id}', legalBasis: '法律依据', kindLabel: '类别', grade: '信用等级', score: '信用分', round: '轮次',
    owner: '案件负责人', departments: '各部门审查', decidedBy: '决定人', decidedAt: '决定时间', verdict: '决定',
    portrait: '立案时的信用画像', contributions: '各项贡献及权重', source: '来源', title: '标题', category: '风险类别',
    risk: '风险', reach: '传播', novelty: '新颖度', weight: '权重', evidence: '证据', published: '日期', reasons: '模型依据',
    raw: '原始数据', download: '下载原始字节', history: '信用画像历史', measures: '措施', endsAt: '截止', objection: '异议',
    objectionDeadline: '异议截止', audit: '审计记录', action: '操作', actor: '操作人', at: '时间', detail: '详情',
    riskIndex: '风险指数', 'verdict.Approve': '同意', 'verdict.Reject': '驳回', 'verdict.RequestInformation': '要求补充信息',
    noEvidence: '此案没有证据条目。', noDecisions: '尚无决定。', decisions: '决定记录',
    adverse: '不利概率', linked: '关联依据', recordValue: '记录值', proceedings: '异议、修复与落实', repairRequest: '信用修复申请',
    repairRuling: '信用修复裁定', implementation: '措施落实',
  },
  en: {
    caseTitle: 'Case {id}', legalBasis: 'Legal basis', kindLabel: 'Kind', grade: 'Credit grade', score: 'Credit score', round: 'Round',
    owner: 'Case owner', departments: 'Departments', decidedBy: 'Decided by', decidedAt: 'Decided at', verdict: 'Verdict',
    portrait: 'Portrait when the case opened', contributions: 'Contributions and their weights', source: 'Source', title: 'Title',
    category: 'Risk category', risk: 'Risk', reach: 'Reach', novelty: 'Novelty', weight: 'Weight', evidence: 'Evidence',
    published: 'Date', reasons: "Model's reasons", raw: 'Raw bytes', download: 'Download the raw bytes', history: 'Portrait history',
    measures: 'Measures', endsAt: 'Ends', objection: 'Objection', objectionDeadline: 'Objection deadline', audit: 'Audit trail',
    action: 'Action', actor: 'Actor', at: 'At', detail: 'Detail', riskIndex: 'Risk index', 'verdict.Approve': 'Approve',
    'verdict.Reject': 'Reject', 'verdict.RequestInformation': 'Request information', noEvidence: 'This case has no evidence items.',
    noDecisions: 'No decision yet.', decisions: 'Decisions',
    adverse: 'Adverse probability', linked: 'Why linked', recordValue: 'Record value',
    proceedings: 'Objections, repair and implementation', repairRequest: 'Credit repair request',
    repairRuling: 'Credit repair ruling', implementation: 'Implementation report', adverse: 'Adverse probability', linked: 'Why linked',
    recordValue: 'Record value', proceedings: 'Objections, repair and implementation', repairRequest: 'Credit repair request',
    repairRuling: 'Credit repair ruling', implementation: 'Implementation report',
  },
});

const number = (value, digits = 2) => (typeof value === 'number' ? value.toFixed(digits) : value ?? '');

/** The measures the memorandum names for the case's departments, each with its legal basis. */
function legalBasis(memorandum, departments) {
  const rows = (memorandum.departments ?? []).filter((d) => departments.includes(d.department))
    .flatMap((d) => d.measures.map((m) => el('li', {}, `${label('dept', d.department)}：${m.description}`,
      el('br'), el('span', { class: 'muted' }, m.legalBasis))));
  return rows.length ? el('ul', { class: 'plain measures' }, rows) : '';
}

function header(view) {
  const record = view.case;
  const memorandum = view.memorandum ?? {};
  return [
    el('h1', {}, record.enterpriseName, ' ', el('span', { class: 'mono muted' }, record.uscc)),
    facts([
      [t('caseId'), el('span', { class: 'mono' }, record.caseId)],
      [t('memorandum'), [memorandum.title ?? record.memorandumId, ' ', el('span', { class: 'mono muted' }, record.memorandumId)]],
      [t('legalBasis'), legalBasis(memorandum, record.departments)],
      [t('kindLabel'), label('kind', String(record.kind).toLowerCase())],
      [t('status'), label('status', record.status)],
      [t('grade'), `${record.grade} (${number(record.score, 1)})`],
      [t('openedAt'), beijing(record.openedAt)],
      [t('round'), record.round],
      [t('owner'), record.owner],
      [t('objectionDeadline'), beijing(record.objectionDeadline)],
    ]),
  ];
}

function departmentsTable(view) {
  const record = view.case;
  const decided = new Map((record.outcome?.departments ?? []).map((d) => [d.department, d]));
  return table(t('departments'),
    [t('department'), t('status'), t('deadline'), t('countdown'), t('decidedBy'), t('comment')],
    record.departments.map((department) => {
      const progress = progressOf(record, department);
      const outcome = decided.get(department);
      const open = progress && ['Pending', 'InformationRequested'].includes(progress.status);
      return [
        label('dept', department),
        label('review', progress?.overdue ? 'Overdue' : progress?.status ?? outcome?.status ?? 'Pending'),
        beijing(progress?.deadline),
        open && progress.deadline ? el('span', { 'data-deadline': progress.deadline }, countdown(progress.deadline)) : '',
        outcome?.decidedBy ?? '',
        outcome?.comment ?? '',
      ];
    }));
}

/**
 * The portrait's contributions as the API gives them: a signal's risk is already its weight in the risk index
 * (severity × reach × novelty × source trust × decay, computed by the portrait calculator), so the page shows it
 * as the weight and never recomputes it; a credit record counts with its source's trust.
 */
function portraitSection(portrait) {
  if (!portrait) return [];
  const rows = (portrait.contributions ?? []).map((c) => [
    c.sourceId, el('span', { class: 'evidence-title' }, c.title), label('cat', c.category), number(c.reach), number(c.novelty),
    number(c.risk, 3),
  ]);
  const credit = (portrait.creditContributions ?? []).map((c) => [
    c.sourceId, el('span', { class: 'evidence-title' }, `${c.detail ?? ''} (${c.value} → ${number(c.normalised, 2)})`), c.kind,
    '', '', number(c.trust, 3),
  ]);
  return [
    el('h2', {}, t('portrait')),
    facts([[t('score'), number(portrait.score, 1)], [t('grade'), portrait.grade], [t('riskIndex'), number(portrait.riskIndex, 3)]]),
    table(t('contributions'), [t('source'), t('title'), t('category'), t('reach'), t('novelty'), t('weight')], [...rows, ...credit]),
  ];
}

function reasons(item) {
  const words = (item.scoreExplanation ?? []).map((r) => `${r.ngram}（${number(r.weight, 2)}）`);
  return words.length ? words.join('、') : '';
}

function evidenceSection(view) {
  const items = view.evidence ?? view.caseFile?.evidence ?? [];
  if (items.length === 0) return [el('h2', {}, t('evidence')), el('p', {}, t('noEvidence'))];
  return [el('h2', {}, t('evidence')), el('div', { class: 'grid' }, items.map((item) => el('article', { class: 'card evidence' },
    el('h3', { class: 'evidence-title' }, item.title ?? item.kind),
    facts([
      [t('source'), item.sourceId],
      [t('published'), beijing(item.observedAt ?? item.receivedAt)],
      [t('category'), item.category ? label('cat', item.category) : ''],
      [t('weight'), number(item.weight, 3)],
      [t('adverse'), item.negativeProbability == null ? '' : number(item.negativeProbability, 2)],
      [t('reasons'), reasons(item)],
      [t('linked'), item.linkExplanation],
      [t('recordValue'), item.value == null ? '' : `${item.value}${item.normalised == null ? '' : ` → ${number(item.normalised, 2)}`}`],
      [t('raw'), el('span', { class: 'mono' }, (item.rawSha256 ?? '').slice(0, 16), '…')],
    ]),
    el('button', { type: 'button', onclick: (e) => downloadRaw(item, e.target) }, t('download')))))];
}

function proceedingsSection(view) {
  const p = view.proceedings ?? {};
  const all = [
    ...(p.objections ?? []).map((x) => [t('objection'), x]),
    ...(p.repairRequests ?? []).map((x) => [t('repairRequest'), x]),
    ...(p.repairRulings ?? []).map((x) => [t('repairRuling'), x]),
    ...(p.implementationReports ?? []).map((x) => [t('implementation'), x]),
  ].sort((a, b) => new Date(a[1].at) - new Date(b[1].at));
  if (all.length === 0) return [];
  return [el('h2', {}, t('proceedings')), table(t('proceedings'), [t('at'), t('kindLabel'), t('actor'), t('detail')],
    all.map(([kind, x]) => [beijing(x.at), kind, x.actor, el('span', { class: 'excerpt' }, x.detail ?? '')]))];
}

function decisionsSection(view) {
  const decisions = view.decisions ?? [];
  return [el('h2', {}, t('decisions')), decisions.length === 0 ? el('p', {}, t('noDecisions'))
    : table(t('decisions'), [t('department'), t('verdict'), t('decidedBy'), t('comment'), t('decidedAt'), t('round')],
      decisions.map((d) => [label('dept', d.department), label('verdict', d.verdict), d.decidedBy, d.comment ?? '',
        beijing(d.decidedAt), d.round]))];
}

function measuresSection(record) {
  const measures = record.outcome?.measures ?? [];
  if (measures.length === 0) return [];
  return [el('h2', {}, t('measures')), table(t('measures'), [t('department'), t('measures'), t('legalBasis'), t('endsAt')],
    measures.map((m) => [label('dept', m.department), m.description, m.legalBasis, beijing(m.endsAt)]))];
}

function auditSection(view) {
  if (!view.audit?.length) return [];
  return [el('h2', {}, t('audit')), table(t('audit'), [t('at'), t('action'), t('actor'), t('detail')],
    view.audit.map((a) => [beijing(a.at), a.action, a.actor, el('span', { class: 'excerpt' }, a.detail ?? '')]))];
}

export async function render(main, [caseId], person) {
  const view = await api(`reviews/${encodeURIComponent(caseId)}`);
  const record = view.case;
  const reload = () => render(main, [caseId], person);
  const history = el('section', { 'aria-labelledby': 'history-title' }, el('h2', { id: 'history-title' }, t('history')));
  show(main,
    ...header(view),
    ...(person.departments.length > 0 ? [decisionForm(record, person, reload)] : []),
    departmentsTable(view),
    ...measuresSection(record),
    ...implementationForm(record, person, reload),
    ...repairRulingForm(record, view, person, reload),
    ...portraitSection(view.caseFile?.portrait),
    history,
    ...evidenceSection(view),
    ...decisionsSection(view),
    ...proceedingsSection(view),
    ...auditSection(view));
  const timer = keepCountingDown(main);
  const chart = await portraitChart(history, record.uscc).catch((error) => {
    history.append(el('p', { class: 'muted' }, error.message));
    return null;
  });
  return () => {
    clearInterval(timer);
    chart?.destroy();
  };
}
