// My queue: the cases awaiting my department's decision, nearest deadline first, with a countdown in
// Beijing time, the reminders and escalations received, and overdue cases marked. Case owners and
// auditors see every case by status instead.
import { el, show, table } from '../dom.js';
import { addStrings, t, label } from '../i18n.js';
import { apiAll } from '../api.js';
import { beijing, countdown, isPast, keepCountingDown } from '../time.js';

addStrings({
  zh: {
    queueTitle: '我的待办', casesTitle: '案件', queueFor: '{department}待审案件', queueEmpty: '没有待本部门审查的案件。',
    casesEmpty: '没有符合条件的案件。', chooseDepartment: '部门', chooseStatus: '案件状态', alerts: '提醒与升级',
    overdue: '已逾期', myStatus: '本部门状态', open: '打开', 'alert.reminder': '提醒',
    'alert.escalated-to-supervisor': '已升级至主管', 'alert.escalated-to-case-owner': '已升级至案件负责人',
    'review.Pending': '待审查', 'review.InformationRequested': '已要求补充信息', 'review.Approved': '已同意',
    'review.Rejected': '已驳回', 'review.Overdue': '已逾期',
    'status.Pending': '审查中', 'status.MeasuresInForce': '措施实施中', 'status.Closed': '已结案',
    queueCount: '共 {n} 件，{overdue} 件已逾期',
  },
  en: {
    queueTitle: 'My queue', casesTitle: 'Cases', queueFor: 'Cases awaiting {department}', queueEmpty: 'No case awaits your department.',
    casesEmpty: 'No case matches.', chooseDepartment: 'Department', chooseStatus: 'Case status', alerts: 'Reminders and escalations',
    overdue: 'Overdue', myStatus: 'Our status', open: 'Open', 'alert.reminder': 'Reminder',
    'alert.escalated-to-supervisor': 'Escalated to the supervisor', 'alert.escalated-to-case-owner': 'Escalated to the case owner',
    'review.Pending': 'To review', 'review.InformationRequested': 'Information requested', 'review.Approved': 'Approved',
    'review.Rejected': 'Rejected', 'review.Overdue': 'Overdue',
    'status.Pending': 'Under review', 'status.MeasuresInForce': 'Measures in force', 'status.Closed': 'Closed',
    queueCount: '{n} cases, {overdue} overdue',
  },
});

/** This department's progress on a case in its current round (the list carries it for staff). */
export function progressOf(item, department) {
  const rounds = (item.departmentReviews ?? []).filter((d) => d.department === department);
  return rounds.sort((a, b) => (b.round ?? 1) - (a.round ?? 1))[0] ?? null;
}

function alertsCell(progress) {
  const alerts = progress?.alerts ?? [];
  if (alerts.length === 0) return el('span', { class: 'muted' }, t('none'));
  return el('ul', { class: 'plain' }, alerts.map((a) => el('li', {}, `${label('alert', a.kind)} · ${beijing(a.at)}`)));
}

function statusBadge(progress) {
  if (!progress) return '';
  const overdue = progress.overdue || progress.status === 'Overdue';
  const tone = overdue ? 'danger' : progress.status === 'Approved' ? 'ok' : progress.status === 'Rejected' ? 'danger' : 'warn';
  return el('span', { class: `badge ${tone}` }, label('review', overdue ? 'Overdue' : progress.status));
}

function caseLink(item) {
  return el('a', { href: `#/case/${encodeURIComponent(item.caseId)}` }, item.caseId);
}

async function departmentQueue(main, person, department) {
  const items = await apiAll(`reviews?awaiting=true&department=${encodeURIComponent(department)}`);
  const awaiting = items
    .map((item) => ({ item, progress: progressOf(item, department) }))
    .filter(({ progress }) => !progress || ['Pending', 'InformationRequested', 'Overdue'].includes(progress.status))
    .sort((a, b) => new Date(a.progress?.deadline ?? 8.64e15) - new Date(b.progress?.deadline ?? 8.64e15));
  const overdue = awaiting.filter(({ progress }) => progress?.overdue || isPast(progress?.deadline)).length;
  const rows = awaiting.map(({ item, progress }) => [
    caseLink(item),
    el('span', {}, item.enterpriseName, el('br'), el('span', { class: 'mono muted' }, item.uscc)),
    el('span', {}, label('kind', String(item.kind).toLowerCase()), ' · ', item.memorandumId),
    statusBadge(progress),
    beijing(progress?.deadline),
    progress?.deadline ? el('span', { 'data-deadline': progress.deadline }, countdown(progress.deadline)) : '',
    alertsCell(progress),
  ]);
  const list = awaiting.length === 0
    ? el('p', {}, t('queueEmpty'))
    : table(t('queueFor', { department: label('dept', department) }),
      [t('caseId'), t('enterprise'), t('memorandum'), t('myStatus'), t('deadline'), t('countdown'), t('alerts')], rows);
  list.querySelectorAll?.('tbody tr').forEach((tr, i) => {
    const progress = awaiting[i].progress;
    if (progress?.overdue || isPast(progress?.deadline)) tr.classList.add('overdue');
  });
  return [el('p', { role: 'status' }, t('queueCount', { n: awaiting.length, overdue })), list];
}

async function allCases(status) {
  const items = await apiAll(`reviews${status ? `?status=${status}` : ''}`);
  if (items.length === 0) return [el('p', {}, t('casesEmpty'))];
  return [table(t('casesTitle'), [t('caseId'), t('enterprise'), t('memorandum'), t('status'), t('openedAt'), t('department')],
    items.map((item) => [
      caseLink(item),
      el('span', {}, item.enterpriseName, el('br'), el('span', { class: 'mono muted' }, item.uscc)),
      el('span', {}, label('kind', String(item.kind).toLowerCase()), ' · ', item.memorandumId),
      label('status', item.status),
      beijing(item.openedAt),
      (item.departments ?? []).map((d) => label('dept', d)).join('、'),
    ]))];
}

function select(id, text, options, value, onchange) {
  return el('div', { class: 'filter' },
    el('label', { for: id }, text),
    el('select', { id, onchange: (e) => onchange(e.target.value) },
      options.map(([v, name]) => el('option', { value: v, selected: v === value }, name))));
}

export async function render(main, args, person) {
  const staff = person.departments.length > 0;
  const results = el('div', {});
  let timer = null;
  const load = async (choice) => {
    show(results, el('p', { role: 'status' }, t('loading')));
    show(results, ...(staff ? await departmentQueue(main, person, choice) : await allCases(choice)));
    clearInterval(timer);
    timer = keepCountingDown(results);
  };
  const first = staff ? person.departments[0] : 'pending';
  const chooser = staff
    ? (person.departments.length > 1
      ? select('department', t('chooseDepartment'), person.departments.map((d) => [d, label('dept', d)]), first, load)
      : null)
    : select('status', t('chooseStatus'), [['pending', label('status', 'Pending')],
      ['measuresInForce', label('status', 'MeasuresInForce')], ['closed', label('status', 'Closed')], ['', t('casesTitle')]],
    first, load);
  show(main, el('h1', {}, staff ? t('queueTitle') : t('casesTitle')), chooser, results);
  await load(first);
  return () => clearInterval(timer);
}
