// The console's shell: signs the person in, shows the navigation their roles open, and routes "#/page/arg"
// to one page module. Each page module exports render(main, args) and may return a cleanup function.
import { el, show } from './dom.js';
import { lang, setLang, t, translateStatic, label } from './i18n.js';
import { ensureSignedIn, who, signOut } from './session.js';
import { ApiError } from './api.js';

const pages = {
  queue: () => import('./pages/queue.js'),
  case: () => import('./pages/case.js'),
  enterprise: () => import('./pages/enterprise.js'),
  operations: () => import('./pages/operations.js'),
};

/** The pages a person's roles open, in the order the navigation shows them. */
function navigation(person) {
  const items = [];
  if (person.departments.length > 0) items.push(['#/queue', 'navQueue']);
  if (person.isCaseOwner || person.isAuditor) items.push(['#/queue', 'navCases']);
  if (person.isEnterprise) items.push(['#/enterprise', 'navEnterprise']);
  if (person.isOperator || person.isAuditor) items.push(['#/operations', person.isOperator ? 'navOperations' : 'navAudit']);
  const unique = items.filter(([href], i) => items.findIndex(([h]) => h === href) === i);
  unique.push(['/console/api.html', 'navApi']);
  return unique;
}

function describe(person) {
  if (person.isEnterprise) return `${label('role', 'enterprise')}${person.uscc ? ' ' + person.uscc : ''}`;
  const gap = lang() === 'en' ? ' ' : '';
  const staff = person.staffRoles.map((s) => `${label('dept', s.department)}${gap}${label('role', s.role)}`);
  const other = person.roles.filter((r) => !/\.(reviewer|supervisor)$/.test(r)).map((r) => label('role', r));
  return [...staff, ...other].join('、');
}

let cleanup = null;

async function route() {
  const person = who();
  const main = document.getElementById('main');
  if (!person) {
    if (!(await ensureSignedIn())) return;
    return route();
  }
  translateStatic();
  document.getElementById('lang').textContent = t('language');
  document.getElementById('who').textContent = t('signedInAs', { who: describe(person) });
  const links = navigation(person);
  const [, name = '', ...args] = (location.hash || '').split('/');
  const current = name ? `#/${name}` : links[0][0];
  show(document.getElementById('nav'), el('ul', {}, links.map(([href, key]) =>
    el('li', {}, el('a', { href, 'aria-current': href === current ? 'page' : false }, t(key))))));
  if (!name) {
    location.replace(links[0][0]);
    return;
  }
  if (typeof cleanup === 'function') cleanup();
  cleanup = null;
  const load = pages[name];
  if (!load) {
    show(main, el('h1', {}, t('notFound')));
    return;
  }
  show(main, el('p', { role: 'status' }, t('loading')));
  try {
    const module = await load();
    cleanup = await module.render(main, args.map(decodeURIComponent), person);
  } catch (error) {
    showError(main, error);
  }
  main.focus({ preventScroll: true });
}

/** A failed call as the API described it (its Chinese and English title and detail), with a retry. */
export function showError(container, error) {
  const problem = error instanceof ApiError ? error.problem : {};
  show(container,
    el('div', { class: 'problem', role: 'alert' },
      el('h1', {}, t('errorTitle')),
      el('p', { class: 'problem-title' }, problem.title ?? error.message),
      problem.detail ? el('p', {}, problem.detail) : null,
      el('button', { type: 'button', onclick: () => route() }, t('retry'))));
}

document.getElementById('lang').addEventListener('click', () => {
  setLang(lang() === 'en' ? 'zh' : 'en');
  route();
});
document.getElementById('signout').addEventListener('click', () => signOut());
window.addEventListener('hashchange', () => route());
route();
