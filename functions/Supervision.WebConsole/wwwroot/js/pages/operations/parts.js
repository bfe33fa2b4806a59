// What the operations page's parts share: a section that loads on its own, and a refusal as text.
import { el, show } from '../../dom.js';
import { t } from '../../i18n.js';
import { ApiError } from '../../api.js';
import { showError } from '../../app.js';

/**
 * A titled section whose body fill() loads on its own; a failed call shows in the section (with the
 * API's title and reason), not over the page, so the other sections stay readable.
 */
export function part(key, fill) {
  const body = el('div', { class: 'part-body' }, el('p', { role: 'status' }, t('loading')));
  const section = el('section', { class: 'ops-part', 'aria-labelledby': `part-${key}`, 'data-part': key },
    el('h2', { id: `part-${key}` }, t(key)), body);
  const state = { section, cleanup: null };
  state.load = async () => {
    try {
      await fill(body, state);
    } catch (error) {
      showError(body, error);
    }
  };
  return state;
}

/** The API's title and reason for a refused call, as text. */
export function problemText(error) {
  const problem = error instanceof ApiError ? error.problem : {};
  return el('span', { class: 'problem-text' },
    problem.title ?? error.message, problem.detail ? el('span', { class: 'problem-detail' }, ` — ${problem.detail}`) : null);
}

