// The operators' page: how each source performs (with its record hour by hour), what was quarantined and
// why, which queue messages failed or were poisoned (each replayable once), which mentions no enterprise
// could be linked to (confirmable by hand; adding an alias to the registry is a separate action), and
// whether the audit's hash chains hold. Auditors see the audit verification only. Each part loads on its
// own, so one failing call leaves the others readable.
import { el, show, table, facts } from '../dom.js';
import { addStrings, t } from '../i18n.js';
import { beijing } from '../time.js';
import { api, apiAll, ApiError } from '../api.js';
import { showError } from '../app.js';
import { sourcesPart } from './operations/sources.js';
import { part, problemText } from './operations/parts.js';

addStrings({
  zh: {
    opsTitle: '运维', opsAuditTitle: '审计核验',
    opsQuarantine: '隔离的输入', opsQuarantineNone: '没有被隔离的输入。', opsKind: '类型', opsBytes: '字节',
    opsOccurrences: '次数', opsFirstSeen: '首次', opsLastSeen: '最近', opsSha: 'SHA-256', opsSource: '数据源',
    opsFailures: '消息失败与毒消息', opsFailuresNone: '没有失败的消息。', opsQueue: '队列', opsMessage: '消息编号',
    opsFailedAt: '失败时间', opsDequeues: '出队次数', opsPoisoned: '毒消息', opsRetrying: '重试中', opsAction: '操作',
    opsReplay: '重放', opsReplayLabel: '重放消息 {id}', opsReplaying: '正在重放…',
    opsReplayed: '已重放：{by}，{at}', opsReplayedAs: '新消息 {id}', opsReplayClaimed: '已认领重放，发送情况未知，请核查',
    opsNotKept: '未保存消息内容，无法重放',
    opsUnlinked: '未关联的提及', opsUnlinkedNone: '没有未关联的提及。', opsItem: '条目', opsLinkedTo: '已关联到 {uscc}（{by}，{at}）',
    opsLinkPending: '已确认到 {uscc}，信号尚未写入（{by}，{at}）',
    opsConfirm: '确认关联到企业', opsConfirmUscc: '企业的统一社会信用代码', opsConfirmSubmit: '确认关联',
    opsConfirmRefused: '未能关联', opsAlias: '为登记企业添加别名', opsAliasUscc: '登记企业的统一社会信用代码',
    opsAliasName: '别名', opsAliasSubmit: '添加别名', opsAliasRefused: '别名未被添加',
    opsAliasAdded: '已为 {name}（{uscc}）添加别名“{alias}”。', opsAliasHad: '{name}（{uscc}）已有名称“{alias}”，未作更改。',
    opsAliasHelp: '别名会让今后提及这个名称的信息关联到该企业；分支机构或子公司不能作为另一主体的别名。',
    opsNeedValue: '请填写此项。', opsSending: '正在提交…',
    opsAudit: '审计核验', opsVerify: '核验审计链', opsVerifyFull: '从头核验全部记录', opsVerifying: '正在核验…',
    opsIntact: '审计链完整：{chains} 条链，本次核验 {entries} 条记录。',
    opsBroken: '审计链已损坏：{count} 条链断开（共 {chains} 条链，本次核验 {entries} 条记录）。',
    opsIncomplete: '本次核验已达上限，尚未核验完毕：请再次核验以继续。',
    opsSubject: '主体', opsSequence: '序号', opsProblem: '问题', opsBreaks: '每条链的第一个断点',
  },
  en: {
    opsTitle: 'Operations', opsAuditTitle: 'Audit verification',
    opsQuarantine: 'Quarantined input', opsQuarantineNone: 'Nothing is quarantined.', opsKind: 'Kind', opsBytes: 'Bytes',
    opsOccurrences: 'Times', opsFirstSeen: 'First', opsLastSeen: 'Last', opsSha: 'SHA-256', opsSource: 'Source',
    opsFailures: 'Message failures and poison messages', opsFailuresNone: 'No message failed.', opsQueue: 'Queue',
    opsMessage: 'Message', opsFailedAt: 'Failed', opsDequeues: 'Dequeues', opsPoisoned: 'Poisoned', opsRetrying: 'Retrying',
    opsAction: 'Action', opsReplay: 'Replay', opsReplayLabel: 'Replay message {id}', opsReplaying: 'Replaying…',
    opsReplayed: 'Replayed by {by} at {at}', opsReplayedAs: 'new message {id}',
    opsReplayClaimed: 'Replay claimed, sending not confirmed: check it', opsNotKept: 'No copy of the message kept: cannot replay',
    opsUnlinked: 'Unlinked mentions', opsUnlinkedNone: 'No unlinked mention.', opsItem: 'Item',
    opsLinkedTo: 'Linked to {uscc} ({by}, {at})', opsLinkPending: 'Confirmed for {uscc}, signal not yet written ({by}, {at})',
    opsConfirm: 'Confirm to an enterprise', opsConfirmUscc: "The enterprise's USCC", opsConfirmSubmit: 'Confirm',
    opsConfirmRefused: 'Not linked', opsAlias: 'Add an alias to the registry', opsAliasUscc: "The registered enterprise's USCC",
    opsAliasName: 'Alias', opsAliasSubmit: 'Add the alias', opsAliasRefused: 'Alias not added',
    opsAliasAdded: 'Added the alias "{alias}" to {name} ({uscc}).', opsAliasHad: '{name} ({uscc}) already has the name "{alias}"; nothing changed.',
    opsAliasHelp: 'An alias links future mentions of the name to the enterprise; a branch or subsidiary cannot be made an alias of another entity.',
    opsNeedValue: 'Please fill this in.', opsSending: 'Sending…',
    opsAudit: 'Audit verification', opsVerify: 'Verify the audit chains', opsVerifyFull: 'Verify every entry from the start',
    opsVerifying: 'Verifying…', opsIntact: 'The audit holds: {chains} chains, {entries} entries checked by this call.',
    opsBroken: 'The audit is broken: {count} chains break ({chains} chains, {entries} entries checked by this call).',
    opsIncomplete: 'This call reached its bound before checking everything: verify again to go on.',
    opsSubject: 'Subject', opsSequence: 'Entry', opsProblem: 'Problem', opsBreaks: 'The first broken link of each chain',
  },
});

export async function render(main, args, person) {
  const operator = person.isOperator;
  const parts = operator
    ? [sourcesPart(), quarantinePart(), failuresPart(), unlinkedPart(), auditPart()]
    : [auditPart()];
  show(main, el('h1', {}, operator ? t('opsTitle') : t('opsAuditTitle')), parts.map((p) => p.section));
  // Not awaited: each part shows its own progress, and the shell gets this page's cleanup at once, so
  // leaving the page while a part still loads stops its charts.
  parts.forEach((p) => p.load());
  return () => parts.forEach((p) => p.cleanup?.());
}

function quarantinePart() {
  return part('opsQuarantine', async (body) => {
    const items = await apiAll('operator/quarantine');
    show(body, items.length === 0 ? el('p', {}, t('opsQuarantineNone')) : captionHidden(table(t('opsQuarantine'),
      [t('opsSource'), t('opsKind'), t('reason'), t('opsBytes'), t('opsOccurrences'), t('opsFirstSeen'), t('opsLastSeen'), t('opsSha')],
      items.map((q) => [q.source, q.kind, el('span', { class: 'excerpt' }, q.reason ?? ''), q.bytes, q.occurrences,
        beijing(q.firstSeenAt), beijing(q.lastSeenAt), el('span', { class: 'mono' }, q.sha256)]))));
  });
}

function failuresPart() {
  return part('opsFailures', async (body) => {
    const items = await apiAll('operator/failures');
    show(body, items.length === 0 ? el('p', {}, t('opsFailuresNone')) : captionHidden(table(t('opsFailures'),
      [t('opsQueue'), t('opsMessage'), t('reason'), t('opsDequeues'), t('opsFailedAt'), t('status'), t('opsAction')],
      items.map((f) => [f.queue, el('span', { class: 'mono' }, f.messageId), el('span', { class: 'excerpt' }, f.reason ?? ''),
        f.dequeueCount ?? '', beijing(f.failedAt),
        f.poisoned ? el('span', { class: 'badge danger' }, t('opsPoisoned')) : el('span', { class: 'badge warn' }, t('opsRetrying')),
        replayCell(f)]))));
  });
}

/** A table whose caption repeats its section's heading: kept for screen readers, not shown twice. */
function captionHidden(node) {
  node.caption.className = 'visually-hidden';
  return node;
}

/** What can be done with a failure: replay it (poisoned, its copy kept, not yet replayed), or what became of it. */
function replayCell(failure) {
  const cell = el('div', { class: 'replay', 'data-failure': failure.failureId ?? failure.messageId });
  if (failure.replay) return show(cell, replayed(failure.replay));
  if (!failure.poisoned) return cell;
  if (!failure.failureId || !failure.replayable) return show(cell, el('span', { class: 'muted' }, t('opsNotKept')));
  const button = el('button', { type: 'button', 'aria-label': t('opsReplayLabel', { id: failure.messageId }) }, t('opsReplay'));
  const answer = el('span', { role: 'status', 'aria-live': 'polite' });
  let sent = false;
  button.addEventListener('click', async () => {
    // Once per page as well as once in the API: a second click while (or after) the first runs sends nothing.
    if (sent) return;
    sent = true;
    button.disabled = true;
    show(answer, t('opsReplaying'));
    try {
      const view = await api(`operator/failures/${encodeURIComponent(failure.failureId)}/replay`, { method: 'POST' });
      show(cell, view?.replay ? replayed(view.replay) : t('opsReplayed', { by: '', at: '' }));
    } catch (error) {
      // A refusal (not poisoned, no copy kept) stays refused; anything else may be tried again.
      const refused = error instanceof ApiError && error.status >= 400 && error.status < 500;
      sent = refused;
      button.disabled = refused;
      show(answer, problemText(error));
    }
  });
  return show(cell, button, ' ', answer);
}

function replayed(replay) {
  return el('span', { class: 'badge ok wrap replayed' },
    replay.messageId
      ? [t('opsReplayed', { by: replay.by, at: beijing(replay.at) }), ' · ', t('opsReplayedAs', { id: replay.messageId })]
      : t('opsReplayClaimed'));
}

function unlinkedPart() {
  return part('opsUnlinked', async (body) => {
    const items = await apiAll('operator/unlinked');
    show(body, items.length === 0 ? el('p', {}, t('opsUnlinkedNone')) : items.map(mentionCard));
  });
}

function mentionCard(mention) {
  const id = mention.id ?? mention.itemId;
  const headingId = `mention-${id}`;
  const status = el('p', { class: 'link-state', role: 'status', 'aria-live': 'polite' }, linkState(mention.confirmed));
  return el('article', { class: 'card mention', 'aria-labelledby': headingId, 'data-mention': id },
    el('h3', { id: headingId, class: 'evidence-title' }, mention.title ?? id),
    facts([[t('opsSource'), mention.source], [t('opsItem'), el('span', { class: 'mono' }, id)],
      [t('reason'), mention.reason], [t('opsSha'), mention.rawSha256 ? el('span', { class: 'mono' }, mention.rawSha256) : null]]),
    status,
    el('div', { class: 'grid' }, confirmForm(id, mention, status), aliasForm(id)));
}

function linkState(confirmed) {
  if (!confirmed) return null;
  const values = { uscc: confirmed.uscc, by: confirmed.by, at: beijing(confirmed.at) };
  return el('span', { class: confirmed.linkedAt ? 'badge ok wrap' : 'badge warn wrap' },
    t(confirmed.linkedAt ? 'opsLinkedTo' : 'opsLinkPending', values));
}

/** Confirms the mention for an enterprise: links this mention only; the registry stays as it is. */
function confirmForm(id, mention, status) {
  const form = smallForm({
    id: `confirm-${id}`, legend: t('opsConfirm'), submit: t('opsConfirmSubmit'), refused: t('opsConfirmRefused'),
    fields: [['uscc', t('opsConfirmUscc'), mention.confirmed?.uscc ?? '']],
    send: ({ uscc }) => api(`operator/unlinked/${encodeURIComponent(id)}/link`, { method: 'POST', body: { uscc } }),
    done: (answer) => {
      show(status, linkState(answer?.confirmed));
      return null;
    },
  });
  if (mention.confirmed?.linkedAt) form.querySelectorAll('input, button').forEach((n) => { n.disabled = true; });
  return form;
}

/** Adds a name to a registered enterprise, for the linker's future matches; refused for a branch or subsidiary. */
function aliasForm(id) {
  return smallForm({
    id: `alias-${id}`, legend: t('opsAlias'), submit: t('opsAliasSubmit'), refused: t('opsAliasRefused'), help: t('opsAliasHelp'),
    fields: [['uscc', t('opsAliasUscc'), ''], ['alias', t('opsAliasName'), '']],
    send: ({ uscc, alias }) => api(`operator/registry/${encodeURIComponent(uscc)}/aliases`, { method: 'POST', body: { alias } }),
    done: (view) => t(view?.addedBy ? 'opsAliasAdded' : 'opsAliasHad', { name: view?.name, uscc: view?.uscc, alias: view?.alias }),
    again: true,
  });
}

/**
 * A fieldset of labelled text inputs and one button; the button is off while the call runs. done() says
 * what the API's answer means (or shows it elsewhere and returns null); a refusal shows the API's reason.
 */
function smallForm({ id, legend, help, fields, submit, refused, send, done, again = false }) {
  const inputs = fields.map(([name, text, value]) => [name, text, el('input', { id: `${id}-${name}`, name, type: 'text', value, autocomplete: 'off', required: true })]);
  const button = el('button', { type: 'submit' }, submit);
  const answer = el('div', { class: 'answer', role: 'status', 'aria-live': 'polite' });
  const form = el('form', { class: 'small-form', 'data-action': id.split('-')[0], novalidate: true },
    el('fieldset', {}, el('legend', {}, legend), help ? el('p', { class: 'muted' }, help) : null,
      inputs.map(([, text, input]) => [el('label', { for: input.id }, text), input]),
      el('div', { class: 'actions' }, button), answer));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (button.disabled) return;
    const empty = inputs.find(([, , input]) => !input.value.trim());
    if (empty) {
      show(answer, el('p', { class: 'error', role: 'alert' }, `${empty[1]}：${t('opsNeedValue')}`));
      empty[2].focus();
      return;
    }
    button.disabled = true;
    show(answer, t('opsSending'));
    try {
      const values = Object.fromEntries(inputs.map(([name, , input]) => [name, input.value.trim()]));
      const said = done(await send(values));
      show(answer, said ? el('p', { class: 'notice' }, said) : null);
      if (again) button.disabled = false;
      else inputs.forEach(([, , input]) => { input.disabled = true; });
    } catch (error) {
      button.disabled = false;
      show(answer, el('div', { class: 'problem', role: 'alert' }, el('p', { class: 'problem-heading' }, refused), problemText(error)));
    }
  });
  return form;
}

function auditPart() {
  return part('opsAudit', async (body) => {
    const full = el('input', { type: 'checkbox', id: 'audit-full', name: 'full' });
    const result = el('div', { class: 'audit-result', role: 'status', 'aria-live': 'polite' });
    const button = el('button', { type: 'button', class: 'primary' }, t('opsVerify'));
    const verify = async () => {
      button.disabled = true;
      show(result, t('opsVerifying'));
      try {
        show(result, verdict(await verification(full.checked)));
      } catch (error) {
        showError(result, error);
      } finally {
        button.disabled = false;
      }
    };
    button.addEventListener('click', verify);
    show(body, el('div', { class: 'actions' }, button,
      el('span', { class: 'check' }, full, el('label', { for: full.id, class: 'inline' }, t('opsVerifyFull')))), result);
    await verify();
  });
}

/** 200 with the verdict when every chain holds, 409 with the same shape when one breaks: both are answers. */
async function verification(full) {
  try {
    return await api(`operator/audit/verify${full ? '?full=true' : ''}`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 409 && Array.isArray(error.problem?.breaks)) return error.problem;
    throw error;
  }
}

function verdict(v) {
  const breaks = v.breaks ?? [];
  const counts = { chains: v.chains, entries: v.entries, count: breaks.length };
  return [
    breaks.length === 0
      ? el('p', { class: 'notice' }, t('opsIntact', counts))
      : el('p', { class: 'problem', role: 'alert' }, t('opsBroken', counts)),
    v.complete === false ? el('p', { class: 'muted' }, t('opsIncomplete')) : null,
    breaks.length === 0 ? null : table(t('opsBreaks'), [t('opsSubject'), t('opsSequence'), t('opsProblem')],
      breaks.map((b) => [el('span', { class: 'mono' }, b.subject), b.sequence, b.problem])),
  ];
}
