// An enterprise's own cases: the measures each imposes with their end dates and legal basis, each
// department's verdict, and the enterprise's two requests: an objection (once, before the deadline its
// notice named) and a request for early credit repair. The API sends an enterprise only its own view
// (no reviewers' names or comments); it also decides every request, so the page shows its answer as given.
import { el, show, table, facts } from '../dom.js';
import { addStrings, t, label } from '../i18n.js';
import { beijing, countdown, isPast, keepCountingDown } from '../time.js';
import { api, apiAll, ApiError } from '../api.js';

addStrings({
  zh: {
    entTitle: '本企业的案件', entOneTitle: '案件 {caseId}', entNone: '本企业目前没有联合奖惩案件。', entAll: '查看本企业全部案件',
    entMeasures: '实施的措施', entNoMeasures: '暂无措施（审查尚未结束，或各部门未决定实施措施）。',
    entMeasure: '措施', entLegalBasis: '法律依据', entStarts: '开始', entEnds: '结束', entInForce: '实施中', entEnded: '已结束',
    entVerdicts: '各部门的审查结论', entNoVerdicts: '各部门尚未作出结论。', entVerdict: '结论', entDecidedAt: '决定时间',
    entRound: '轮次', entRoundN: '第 {n} 轮', entEvidence: '所依据的信息', entGrade: '信用等级', entScore: '信用分',
    entSource: '来源', entItemTitle: '标题', entCategory: '类别', entRisk: '风险',
    entObjection: '提出异议', entObjectionDeadline: '异议截止时间',
    entObjectionHelp: '每个案件只能提出一次异议；异议会使有措施的部门重新审查。请写明决定哪里有误，以及相关证据。',
    entObjectionComment: '异议理由和证据', entObjectionSubmit: '提交异议',
    entObjectionAccepted: '异议已受理，以下部门将重新审查：{departments}。',
    entObjectionRepeated: '此异议此前已提交，无需重复提交。',
    entObjectionRefused: '异议未被受理', entObjectionClosed: '异议期已于 {at} 截止。',
    entObjectionDone: '本案已提出过异议，正在或已经复审（第 {n} 轮）。',
    entObjectionNotOpen: '本案不是联合惩戒，无需提出异议。',
    entObjectionNoMeasures: '本案目前没有实施中的措施，无法提出异议。',
    entObjectionNotYet: '各部门报告措施已实施后，本企业会收到通知及异议截止时间。',
    entRepair: '申请信用修复', entRepairHelp: '措施实施期间，可申请提前信用修复，由市场监管部门审查。请写明已纠正的情况及证据。',
    entRepairComment: '已纠正的情况和证据', entRepairSubmit: '提交修复申请',
    entRepairAccepted: '信用修复申请已受理（编号 {id}），由{department}审查。',
    entRepairRepeated: '此申请此前已提交（编号 {id}），正在等待裁定。',
    entRepairRefused: '修复申请未被受理', entRepairNotOpen: '本案没有正在实施的措施，无需申请信用修复。',
    entCommentNeeded: '请填写理由。', entSending: '正在提交…',
    'verdict.approve': '同意', 'verdict.reject': '不同意', 'verdict.requestInformation': '要求补充材料',
    'outcome.approved': '同意', 'outcome.rejected': '不同意', 'outcome.overdue': '逾期未决定',
  },
  en: {
    entTitle: 'Our cases', entOneTitle: 'Case {caseId}', entNone: 'There are no joint review cases about this enterprise.',
    entAll: 'All our cases', entMeasures: 'Measures', entNoMeasures: 'No measures (the review is not over, or no department imposed one).',
    entMeasure: 'Measure', entLegalBasis: 'Legal basis', entStarts: 'Starts', entEnds: 'Ends', entInForce: 'In force', entEnded: 'Ended',
    entVerdicts: "Departments' verdicts", entNoVerdicts: 'No department has decided yet.', entVerdict: 'Verdict',
    entDecidedAt: 'Decided', entRound: 'Round', entRoundN: 'round {n}', entEvidence: 'What the case rests on',
    entGrade: 'Credit grade', entScore: 'Credit score', entSource: 'Source', entItemTitle: 'Title', entCategory: 'Category',
    entRisk: 'Risk', entObjection: 'Object to the decision', entObjectionDeadline: 'Objection deadline',
    entObjectionHelp: 'One objection per case; it sends the departments with measures back to review. Say what is wrong and give the evidence.',
    entObjectionComment: 'Grounds and evidence', entObjectionSubmit: 'File the objection',
    entObjectionAccepted: 'Objection accepted: these departments review again: {departments}.',
    entObjectionRepeated: 'This objection was already filed; nothing changed.',
    entObjectionRefused: 'Objection not accepted', entObjectionClosed: 'The objection window closed at {at}.',
    entObjectionDone: 'An objection was filed; the case is (or was) reviewed again (round {n}).',
    entObjectionNotOpen: 'This case is not a punishment: there is nothing to object to.',
    entObjectionNoMeasures: 'No measure of this case is in force now: there is nothing to object to.',
    entObjectionNotYet: 'Once the departments report their measures implemented, you are notified with the objection deadline.',
    entRepair: 'Ask for credit repair',
    entRepairHelp: 'While measures are in force you may ask for early credit repair; the market regulator rules on it. Say what was corrected and give the evidence.',
    entRepairComment: 'What was corrected, and the evidence', entRepairSubmit: 'Ask for repair',
    entRepairAccepted: 'Repair request accepted (no. {id}); {department} will rule on it.',
    entRepairRepeated: 'This request was already filed (no. {id}) and awaits a ruling.',
    entRepairRefused: 'Repair request not accepted', entRepairNotOpen: 'No measure of this case is in force: there is nothing to repair.',
    entCommentNeeded: 'Please give your reasons.', entSending: 'Sending…',
    'verdict.approve': 'Approve', 'verdict.reject': 'Reject', 'verdict.requestInformation': 'More information requested',
    'outcome.approved': 'Approved', 'outcome.rejected': 'Rejected', 'outcome.overdue': 'Not decided in time',
  },
});

/** The API writes enum values as their C# names ("MeasuresInForce"); the console's labels start lower-case. */
const code = (value) => (value ? String(value).charAt(0).toLowerCase() + String(value).slice(1) : '');

export async function render(main, [caseId]) {
  const cases = caseId ? [await api(`reviews/${encodeURIComponent(caseId)}`)] : await ownCases();
  show(main,
    el('h1', {}, caseId ? t('entOneTitle', { caseId }) : t('entTitle')),
    caseId ? el('p', {}, el('a', { href: '#/enterprise' }, t('entAll'))) : null,
    cases.length === 0 ? el('p', {}, t('entNone')) : cases.map((view) => caseSection(view, !caseId)));
  const timer = keepCountingDown(main);
  return () => clearInterval(timer);
}

/** Each case of the list in the enterprise's own view, which carries the decisions the list does not. */
async function ownCases() {
  const listed = await apiAll('reviews');
  return Promise.all(listed.map((c) => api(`reviews/${encodeURIComponent(c.caseId)}`)));
}

function caseSection(view, linked) {
  const record = view.case;
  const headingId = `case-${record.caseId}`;
  return el('section', { class: 'card case-card', 'aria-labelledby': headingId, 'data-case': record.caseId },
    el('h2', { id: headingId },
      linked ? el('a', { href: `#/enterprise/${encodeURIComponent(record.caseId)}` }, record.caseId) : record.caseId, ' ',
      el('span', { class: `badge ${record.status === 'MeasuresInForce' ? 'warn' : 'ok'}` }, label('status', code(record.status)))),
    facts([
      [t('enterprise'), `${record.enterpriseName} (${record.uscc})`],
      [t('memorandum'), `${record.memorandumId} · ${label('kind', code(record.kind))}`],
      [t('openedAt'), beijing(record.openedAt)],
      [t('entRound'), t('entRoundN', { n: record.round ?? 1 })],
    ]),
    measures(view.measures ?? record.outcome?.measures ?? [], record.status === 'Closed'),
    verdicts(view.decisions ?? [], record),
    evidence(view.evidence),
    el('div', { class: 'grid' }, objectionForm(record), repairForm(record)));
}

/** A measure is in force until it ends, or until its case closes (lifted on repair or on objection). */
function measures(list, closed) {
  if (list.length === 0) return [el('h3', {}, t('entMeasures')), el('p', { class: 'muted' }, t('entNoMeasures'))];
  return table(t('entMeasures'),
    [t('department'), t('entMeasure'), t('entLegalBasis'), t('entStarts'), t('entEnds'), t('status')],
    list.map((m) => [
      label('dept', m.department),
      [el('span', { class: 'mono' }, m.code), ' ', m.description],
      m.legalBasis,
      beijing(m.startsAt),
      beijing(m.endsAt),
      closed || isPast(m.endsAt) ? el('span', { class: 'badge' }, t('entEnded')) : el('span', { class: 'badge warn' }, t('entInForce')),
    ]));
}

/** Each decision recorded (per department and round); before any, the departments' outcomes if the case has them. */
function verdicts(decisions, record) {
  if (decisions.length > 0) {
    return table(t('entVerdicts'), [t('department'), t('entRound'), t('entVerdict'), t('entDecidedAt')],
      decisions.map((d) => [label('dept', d.department), t('entRoundN', { n: d.round ?? 1 }),
        label('verdict', code(d.verdict)), beijing(d.decidedAt)]));
  }
  const outcomes = record.outcome?.departments ?? [];
  if (outcomes.length > 0) {
    return table(t('entVerdicts'), [t('department'), t('entVerdict')],
      outcomes.map((d) => [label('dept', d.department), label('outcome', code(d.status))]));
  }
  return [el('h3', {}, t('entVerdicts')), el('p', { class: 'muted' }, t('entNoVerdicts'))];
}

function evidence(file) {
  if (!file) return null;
  return el('details', { class: 'evidence' },
    el('summary', {}, t('entEvidence')),
    facts([[t('entGrade'), file.grade], [t('entScore'), typeof file.score === 'number' ? file.score.toFixed(1) : file.score]]),
    table(t('entEvidence'), [t('entSource'), t('entItemTitle'), t('entCategory'), t('entRisk')],
      (file.items ?? []).map((i) => [i.sourceId, el('span', { class: 'evidence-title' }, i.title ?? ''), label('cat', i.category),
        typeof i.risk === 'number' ? i.risk.toFixed(2) : (i.risk ?? '')])));
}

/** Open only for a punishment in force, in its first round, before the deadline; the API checks all of it again. */
function objectionForm(record) {
  const deadline = record.objectionDeadline;
  const heading = el('h3', {}, t('entObjection'));
  // The countdown only while the objection is open: past the deadline the time itself says enough.
  const when = (open) => (deadline ? facts([[t('entObjectionDeadline'), [beijing(deadline),
    open ? [' ', el('span', { class: 'countdown', 'data-deadline': deadline }, countdown(deadline))] : null]]]) : null);
  let closed = null;
  if ((record.round ?? 1) > 1) closed = t('entObjectionDone', { n: record.round });
  else if (record.kind !== 'Punishment') closed = t('entObjectionNotOpen');
  else if (record.status !== 'MeasuresInForce') closed = t('entObjectionNoMeasures');
  else if (!deadline) closed = t('entObjectionNotYet');
  else if (isPast(deadline)) closed = t('entObjectionClosed', { at: beijing(deadline) });
  if (closed) return el('div', { class: 'objection' }, heading, when(false), el('p', { class: 'muted' }, closed));
  return requestForm({
    kind: 'objection', caseId: record.caseId, heading, intro: [when(true), el('p', {}, t('entObjectionHelp'))],
    commentLabel: t('entObjectionComment'), submit: t('entObjectionSubmit'), refused: t('entObjectionRefused'),
    path: `reviews/${encodeURIComponent(record.caseId)}/objection`,
    accepted: (answer) => answer?.repeated ? t('entObjectionRepeated')
      : t('entObjectionAccepted', { departments: (answer?.reopenedFor ?? []).map((d) => label('dept', d)).join('、') || t('none') }),
  });
}

function repairForm(record) {
  const heading = el('h3', {}, t('entRepair'));
  // Credit repair lifts a punishment early; an incentive has nothing to repair.
  if (record.kind !== 'Punishment' || record.status !== 'MeasuresInForce') return el('div', { class: 'repair' }, heading, el('p', { class: 'muted' }, t('entRepairNotOpen')));
  return requestForm({
    kind: 'repair', caseId: record.caseId, heading, intro: [el('p', {}, t('entRepairHelp'))],
    commentLabel: t('entRepairComment'), submit: t('entRepairSubmit'), refused: t('entRepairRefused'),
    path: `reviews/${encodeURIComponent(record.caseId)}/repair`,
    accepted: (answer) => t(answer?.repeated ? 'entRepairRepeated' : 'entRepairAccepted',
      { id: answer?.requestId ?? '', department: label('dept', answer?.reviewedBy ?? 'market-regulator') }),
  });
}

/**
 * A comment form that posts {"comment": …} once: the button is off while the call runs, and after the API
 * accepts it the form stays closed, so a second click cannot file a second request.
 */
function requestForm({ kind, caseId, heading, intro, commentLabel, submit, refused, path, accepted }) {
  const id = `${kind}-${caseId}`;
  heading.id = `${id}-heading`;
  const comment = el('textarea', { id: `${id}-comment`, name: 'comment', required: true, maxlength: 4000 });
  const button = el('button', { type: 'submit', class: 'primary' }, submit);
  const answer = el('div', { class: 'answer', role: 'status', 'aria-live': 'polite' });
  const form = el('form', { class: kind, 'data-kind': kind, 'aria-labelledby': `${id}-heading`, novalidate: true },
    heading, intro,
    el('label', { for: comment.id }, commentLabel), comment,
    el('div', { class: 'actions' }, button), answer);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    if (!comment.value.trim()) {
      show(answer, el('p', { class: 'error', role: 'alert' }, t('entCommentNeeded')));
      comment.focus();
      return;
    }
    button.disabled = true;
    show(answer, el('p', {}, t('entSending')));
    try {
      const reply = await api(path, { method: 'POST', body: { comment: comment.value.trim() } });
      comment.disabled = true;
      show(answer, el('p', { class: 'notice' }, accepted(reply)));
    } catch (error) {
      button.disabled = false;
      show(answer, refusal(refused, error));
    }
  });
  return form;
}

/** The API's refusal as it gave it (its title and reason), under the page's own heading in the current language. */
function refusal(heading, error) {
  const problem = error instanceof ApiError ? error.problem : {};
  return el('div', { class: 'problem', role: 'alert' },
    el('p', { class: 'problem-heading' }, heading),
    el('p', { class: 'problem-title' }, problem.title ?? error.message),
    problem.detail ? el('p', {}, problem.detail) : null);
}
