// The case page's chart and downloads.
import { el } from '../dom.js';
import { t, lang } from '../i18n.js';
import { api } from '../api.js';
import { token } from '../session.js';
import { beijing } from '../time.js';

/**
 * The portrait's history (score over time, Beijing time) as a Chart.js line, with the same points as a
 * table beside it for screen readers and for copying.
 */
export async function portraitChart(section, uscc) {
  const answer = await api(`portraits/${encodeURIComponent(uscc)}`);
  const points = (answer?.history ?? []).filter((p) => p.computedAt);
  if (answer?.portrait && !points.some((p) => p.computedAt === answer.portrait.computedAt)) points.push(answer.portrait);
  const canvas = el('canvas', { role: 'img', 'aria-label': `${t('history')}: ${points.length}` });
  const details = el('details', {}, el('summary', {}, t('history')),
    el('table', {}, el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('at')), el('th', { scope: 'col' }, t('score')),
      el('th', { scope: 'col' }, t('grade')))),
    el('tbody', {}, points.map((p) => el('tr', {}, el('td', {}, beijing(p.computedAt)), el('td', {}, p.score?.toFixed?.(1) ?? ''),
      el('td', {}, p.grade))))));
  section.append(el('div', { class: 'chart' }, canvas), details);
  if (!window.Chart) return null;
  return new window.Chart(canvas, {
    type: 'line',
    data: {
      labels: points.map((p) => beijing(p.computedAt).replace(` ${t('beijingTime')}`, '')),
      datasets: [{ label: t('score'), data: points.map((p) => p.score), borderColor: '#0b4f9c', backgroundColor: '#0b4f9c', tension: 0.2 }],
    },
    options: {
      maintainAspectRatio: false,
      animation: false,
      locale: lang() === 'en' ? 'en-GB' : 'zh-CN',
      scales: { y: { suggestedMin: 0, suggestedMax: 100, title: { display: true, text: t('score') } } },
    },
  });
}

/**
 * Downloads an evidence item's archived bytes as a file: fetched with the bearer token (a plain link
 * would carry none), saved from a blob, never opened in the page.
 */
export async function downloadRaw(item, button) {
  button.disabled = true;
  try {
    const response = await fetch(item.rawUrl, {
      headers: { Authorization: `Bearer ${token()}` },
    });
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      button.after(el('p', { class: 'error', role: 'alert' }, problem.title ?? `HTTP ${response.status}`));
      return;
    }
    const disposition = response.headers.get('Content-Disposition') ?? '';
    const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? `${item.evidenceId ?? 'evidence'}.bin`;
    const url = URL.createObjectURL(await response.blob());
    const link = el('a', { href: url, download: name });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } finally {
    button.disabled = false;
  }
}
