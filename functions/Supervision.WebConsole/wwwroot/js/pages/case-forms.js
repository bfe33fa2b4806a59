// The case page's forms: a department's decision, its implementation report, and the case owner's ruling
// on a credit-repair request. Each posts to the API and shows its answer (or its refusal) as text.
import { el } from '../dom.js';
import { addStrings, t, label } from '../i18n.js';
import { api, ApiError } from '../api.js';
import { progressOf } from './queue.js';

addStrings({
  zh: {
    decide: '作出决定', decideFor: '{department}的决定', approve: '同意', reject: '驳回', requestInformation: '要求补充信息',
    commentPlaceholder: '请填写意见', sent: '已提交：{title}', implementation: '措施落实情况', reportImplementation: '报告已落实',
    repairRuling: '信用修复裁定', repairPending: '企业申请了信用修复，等待裁定。', approveRepair: '同意修复', rejectRepair: '驳回修复',
  },
  en: {
    decide: 'Decide', decideFor: 'Decision for {department}', approve: 'Approve', reject: 'Reject',
    requestInformation: 'Request information', commentPlaceholder: 'Your comment', sent: 'Sent: {title}',
    implementation: 'Implementation', reportImplementation: 'Report implemented', repairRuling: 'Credit repair ruling',
    repairPending: 'The enterprise asked for credit repair; a ruling is due.', approveRepair: 'Approve repair',
    rejectRepair: 'Reject repair',
  },
});

/** A form that posts a verdict and a comment; buttons name the verdicts. */
function verdictForm(id, legend, verdicts, post) {
  const status = el('p', { role: 'status', class: 'notice-slot' });
  const comment = el('textarea', { id: `${id}-comment`, name: 'comment', placeholder: t('commentPlaceholder') });
  const buttons = verdicts.map(([verdict, text, tone]) => el('button', {
    type: 'submit', value: verdict, class: tone, 'data-verdict': verdict,
  }, text));
  const form = el('form', { id, class: 'card' },
    el('fieldset', {}, el('legend', {}, legend),
      el('label', { for: `${id}-comment` }, t('comment')), comment, el('div', { class: 'actions' }, buttons)),
    status);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const verdict = event.submitter?.value;
    buttons.forEach((b) => { b.disabled = true; });
    status.className = 'notice-slot';
    try {
      const answer = await post(verdict, comment.value.trim());
      status.className = 'notice';
      status.textContent = t('sent', { title: answer?.title ?? answer?.status ?? verdict });
      setTimeout(() => form.dispatchEvent(new CustomEvent('decided')), 1500);
    } catch (error) {
      status.className = 'error';
      status.textContent = error instanceof ApiError ? [error.problem.title, error.problem.detail].filter(Boolean).join(' — ') : error.message;
      buttons.forEach((b) => { b.disabled = false; });
    }
  });
  return form;
}

/** My department's decision, while it has one to make on this case. */
export function decisionForm(record, person, reload) {
  const mine = person.departments.filter((d) => record.departments.includes(d));
  const open = mine.filter((d) => {
    const progress = progressOf(record, d);
    return record.status === 'Pending' && (!progress || ['Pending', 'InformationRequested'].includes(progress.status));
  });
  if (open.length === 0) return null;
  return el('section', { 'aria-label': t('decide') }, open.map((department) => {
    const form = verdictForm(`decide-${department}`, t('decideFor', { department: label('dept', department) }),
      [['approve', t('approve'), 'primary'], ['reject', t('reject'), 'danger'], ['request-information', t('requestInformation'), '']],
      (verdict, comment) => api(`reviews/${encodeURIComponent(record.caseId)}/departments/${department}/decision`,
        { method: 'POST', body: { verdict, comment } }));
    form.addEventListener('decided', reload);
    return form;
  }));
}

/** A department with measures in force reports it has implemented them. */
export function implementationForm(record, person, reload) {
  const mine = (record.outcome?.measures ?? []).map((m) => m.department).filter((d) => person.departments.includes(d));
  if (record.status !== 'MeasuresInForce' || mine.length === 0) return [];
  return [...new Set(mine)].map((department) => {
    const form = verdictForm(`implement-${department}`, `${t('implementation')} · ${label('dept', department)}`,
      [['implemented', t('reportImplementation'), 'primary']],
      (_, comment) => api(`reviews/${encodeURIComponent(record.caseId)}/departments/${department}/implementation`,
        { method: 'POST', body: { comment } }));
    form.addEventListener('decided', reload);
    return form;
  });
}

/** The case owner's ruling on a pending credit-repair request. */
export function repairRulingForm(record, view, person, reload) {
  const proceedings = view.proceedings ?? {};
  const pending = (proceedings.repairRequests ?? []).length > (proceedings.repairRulings ?? []).length;
  if (!person.isCaseOwner || !pending) return [];
  const form = verdictForm('repair-ruling', t('repairRuling'),
    [['approve', t('approveRepair'), 'primary'], ['reject', t('rejectRepair'), 'danger']],
    (verdict, comment) => api(`reviews/${encodeURIComponent(record.caseId)}/repair/decision`, { method: 'POST', body: { verdict, comment } }));
  form.addEventListener('decided', reload);
  return [el('h2', {}, t('repairRuling')), el('p', {}, t('repairPending')), form];
}
