// Every time the console shows is Beijing time, converted explicitly: the API speaks UTC (ISO-8601),
// the platform's clock is UTC, and the browser's own zone may be anything.
import { lang, t } from './i18n.js';

const zone = 'Asia/Shanghai';

function formatter() {
  return new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
  });
}

/** "2026/12/08 10:15:30 北京时间" (or "08/12/2026, 10:15:30 Beijing time"); empty for no time. */
export function beijing(iso) {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  return `${formatter().format(date)} ${t('beijingTime')}`;
}

/** "剩余 1 小时 5 分" / "1 h 5 min left", or "已逾期 5 分" / "overdue by 5 min", from a UTC deadline. */
export function countdown(iso, now = Date.now()) {
  if (!iso) return '';
  const left = new Date(iso).getTime() - now;
  const minutes = Math.floor(Math.abs(left) / 60000);
  const span = duration(minutes);
  return left >= 0 ? t('timeLeft', { span }) : t('overdueBy', { span });
}

export function isPast(iso, now = Date.now()) {
  return !!iso && new Date(iso).getTime() < now;
}

function duration(minutes) {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts = [];
  if (days) parts.push(t('days', { n: days }));
  if (hours) parts.push(t('hours', { n: hours }));
  parts.push(t('minutes', { n: mins }));
  return parts.join(' ');
}

/** Keeps every element with data-deadline counting down, once a minute's part has passed. */
export function keepCountingDown(root) {
  const tick = () => {
    for (const node of root.querySelectorAll('[data-deadline]')) {
      node.textContent = countdown(node.dataset.deadline);
      node.classList.toggle('overdue', isPast(node.dataset.deadline));
    }
  };
  tick();
  return setInterval(tick, 15000);
}
