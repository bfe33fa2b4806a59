// The operations page's sources: each source's status, earned trust, volume, delay and freshness, and
// one chosen source's record hour by hour as charts (Chart.js, loaded globally by index.html), each with
// its numbers as a table beside it for those who do not read charts.
import { el, show, table } from '../../dom.js';
import { addStrings, t, lang } from '../../i18n.js';
import { beijing } from '../../time.js';
import { api, apiAll } from '../../api.js';
import { part } from './parts.js';

addStrings({
  zh: {
    opsSources: '数据源', opsSourcesCaption: '各数据源的状态与记录', opsSourcesNone: '没有登记的数据源。', opsSourceName: '数据源', opsSourceStatus: '状态',
    opsEnabled: '启用', opsDisabled: '停用', opsTrust: '所得可信度', opsDeclared: '声明可信度', opsVolume: '条目数',
    opsDelay: '中位延迟', opsFreshness: '新鲜度', opsLinkedShare: '关联比例', opsConfirmedShare: '审查证实比例',
    opsLastItem: '最近新条目：{ago}前', opsLastPull: '最近拉取：{ago}前', opsNoHistory: '暂无历史记录',
    opsHistory: '历史记录（每小时，北京时间）', opsChooseSource: '选择数据源', opsHistoryNone: '该数据源尚无历史记录。',
    opsHistoryMissing: '无法读取历史记录：{why}',
    opsChartTrust: '所得可信度', opsChartVolume: '每小时新条目', opsChartDelay: '延迟与新鲜度（分钟）',
    opsSeriesTrust: '可信度', opsSeriesNew: '新条目', opsSeriesDelay: '中位延迟（分钟）', opsSeriesStale: '距最近新条目（分钟）',
    opsChartSummary: '{name}：{series}，最近一点 {value}（{at}）', opsTableOfChart: '图表数据', opsHour: '小时',
    opsSeconds: '{n} 秒', opsMinutesShort: '{n} 分钟', opsHoursShort: '{n} 小时', opsDaysShort: '{n} 天',
  },
  en: {
    opsSources: 'Sources', opsSourcesCaption: "Each source's status and record", opsSourcesNone: 'No source is registered.', opsSourceName: 'Source', opsSourceStatus: 'Status',
    opsEnabled: 'Enabled', opsDisabled: 'Disabled', opsTrust: 'Earned trust', opsDeclared: 'Declared trust', opsVolume: 'Items',
    opsDelay: 'Median delay', opsFreshness: 'Freshness', opsLinkedShare: 'Linked', opsConfirmedShare: 'Confirmed by reviews',
    opsLastItem: 'last new item {ago} ago', opsLastPull: 'last pull {ago} ago', opsNoHistory: 'no history yet',
    opsHistory: 'History (hourly, Beijing time)', opsChooseSource: 'Source', opsHistoryNone: 'This source has no history yet.',
    opsHistoryMissing: 'The history could not be read: {why}',
    opsChartTrust: 'Earned trust', opsChartVolume: 'New items per hour', opsChartDelay: 'Delay and freshness (minutes)',
    opsSeriesTrust: 'Trust', opsSeriesNew: 'New items', opsSeriesDelay: 'Median delay (min)', opsSeriesStale: 'Since last new item (min)',
    opsChartSummary: '{name}: {series}, latest {value} ({at})', opsTableOfChart: 'Chart data', opsHour: 'Hour',
    opsSeconds: '{n} s', opsMinutesShort: '{n} min', opsHoursShort: '{n} h', opsDaysShort: '{n} d',
  },
});

const colours = { trust: '#0b4f9c', volume: '#1d6b35', delay: '#7a4b00', stale: '#a4161a' };

export function sourcesPart() {
  const charts = [];
  let left = false;
  const state = part('opsSources', async (body) => {
    const sources = await apiAll('operator/sources');
    if (sources.length === 0) {
      show(body, el('p', {}, t('opsSourcesNone')));
      return;
    }
    const histories = await Promise.all(sources.map((s) => history(s.definition.id)));
    const byId = new Map(sources.map((s, i) => [s.definition.id, { source: s, history: histories[i] }]));
    const chosen = el('select', { id: 'history-source', name: 'source' },
      sources.map((s) => el('option', { value: s.definition.id }, s.definition.name ?? s.definition.id)));
    const area = el('div', { class: 'history' });
    const draw = () => left || drawHistory(area, byId.get(chosen.value), charts);
    chosen.addEventListener('change', draw);
    show(body,
      sourcesTable(sources, histories),
      el('h3', {}, t('opsHistory')),
      el('div', { class: 'inline-field' }, el('label', { for: chosen.id }, t('opsChooseSource')), chosen),
      area);
    draw();
  });
  state.cleanup = () => {
    left = true;
    destroy(charts);
  };
  return state;
}

/** A source's hourly points, or why there are none (the history route is new: a host without it answers 404). */
async function history(sourceId) {
  try {
    const answer = await api(`operator/sources/${encodeURIComponent(sourceId)}/history`);
    return { points: answer?.points ?? [] };
  } catch (error) {
    return { points: [], error };
  }
}

function sourcesTable(sources, histories) {
  return table(t('opsSourcesCaption'),
    [t('opsSourceName'), t('opsSourceStatus'), t('opsTrust'), t('opsDeclared'), t('opsVolume'), t('opsDelay'),
      t('opsFreshness'), t('opsLinkedShare'), t('opsConfirmedShare')],
    sources.map((s, i) => [
      [el('span', {}, s.definition.name ?? s.definition.id), el('br'), el('span', { class: 'mono muted' }, s.definition.id)],
      status(s),
      [el('strong', {}, number(s.trust?.weight, 2)), s.trust?.explanation ? el('p', { class: 'muted small' }, s.trust.explanation) : null],
      number(s.definition.trustWeight, 2),
      s.statistics?.items ?? '',
      s.statistics?.medianDelaySeconds == null ? '—' : span(s.statistics.medianDelaySeconds),
      freshness(histories[i]),
      share(s.linkedShare),
      share(s.confirmedShare),
    ]));
}

function status(source) {
  const enabled = source.enabled ?? source.status?.isEnabled;
  return [el('span', { class: `badge ${enabled ? 'ok' : 'danger'}` }, enabled ? t('opsEnabled') : t('opsDisabled')),
    source.status?.reason ? el('p', { class: 'small' }, source.status.reason) : null];
}

/** How long since the source last brought a new item and last answered a pull, at its latest point. */
function freshness(record) {
  const latest = record.points.at(-1);
  if (!latest) return el('span', { class: 'muted' }, t('opsNoHistory'));
  return [
    latest.secondsSinceLastItem == null ? null : el('span', {}, t('opsLastItem', { ago: span(latest.secondsSinceLastItem) })),
    latest.secondsSinceLastPull == null ? null : [el('br'), el('span', {}, t('opsLastPull', { ago: span(latest.secondsSinceLastPull) }))],
  ];
}

function drawHistory(area, { source, history: record }, charts) {
  destroy(charts);
  const name = source.definition.name ?? source.definition.id;
  if (record.error) {
    show(area, el('p', { class: 'muted' }, t('opsHistoryMissing', { why: record.error.problem?.title ?? record.error.message })));
    return;
  }
  if (record.points.length === 0) {
    show(area, el('p', { class: 'muted' }, t('opsHistoryNone')));
    return;
  }
  const points = record.points;
  const format = shortFormat();
  const labels = points.map((p) => format.format(new Date(p.hour ?? p.at)));
  const minutes = (seconds) => (seconds == null ? null : Math.round(seconds / 6) / 10);
  const specs = [
    { key: 'trust', title: t('opsChartTrust'), type: 'line', max: 1,
      series: [[t('opsSeriesTrust'), points.map((p) => p.trust), colours.trust]] },
    { key: 'volume', title: t('opsChartVolume'), type: 'bar',
      series: [[t('opsSeriesNew'), points.map((p) => p.newItems ?? null), colours.volume]] },
    { key: 'delay', title: t('opsChartDelay'), type: 'line',
      series: [[t('opsSeriesDelay'), points.map((p) => minutes(p.medianDelaySeconds)), colours.delay],
        [t('opsSeriesStale'), points.map((p) => minutes(p.secondsSinceLastItem)), colours.stale]] },
  ];
  show(area, el('div', { class: 'grid' }, specs.map((spec) => chartCard(spec, name, labels, points, charts))),
    dataTable(name, specs, points));
}

/** One chart in a card; the canvas is an image whose name says the latest value, for screen readers. */
function chartCard(spec, name, labels, points, charts) {
  const [series, values] = spec.series[0];
  const latest = values.at(-1);
  const canvas = el('canvas', {
    role: 'img', id: `chart-${spec.key}`,
    'aria-label': t('opsChartSummary', { name, series, value: latest ?? '—', at: beijing(points.at(-1).at) }),
  });
  const card = el('figure', { class: 'card ops-chart' }, el('figcaption', {}, spec.title), el('div', { class: 'chart' }, canvas));
  if (window.Chart) {
    charts.push(new window.Chart(canvas, {
      type: spec.type,
      data: {
        labels,
        datasets: spec.series.map(([label, data, colour]) => ({
          label, data, borderColor: colour, backgroundColor: colour, pointRadius: 2, borderWidth: 2, spanGaps: false,
        })),
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        scales: { y: { beginAtZero: true, ...(spec.max ? { max: spec.max } : {}) }, x: { ticks: { maxTicksLimit: 8 } } },
        plugins: { legend: { display: spec.series.length > 1 } },
      },
    }));
  }
  return card;
}

/** The charts' numbers, newest first, folded away under the charts. */
function dataTable(name, specs, points) {
  const series = specs.flatMap((s) => s.series);
  const rows = points.map((p, i) => [beijing(p.hour ?? p.at), ...series.map(([, values]) => values[i] ?? '—')]).reverse();
  return el('details', { class: 'chart-data' }, el('summary', {}, t('opsTableOfChart')),
    table(`${name} · ${t('opsHistory')}`, [t('opsHour'), ...series.map(([label]) => label)], rows));
}

function destroy(charts) {
  while (charts.length) charts.pop().destroy();
}

/** An hour's label on a chart's axis: month, day and time in Beijing (the section's heading says so). */
const shortFormat = () => new Intl.DateTimeFormat(lang() === 'en' ? 'en-GB' : 'zh-CN', {
  timeZone: 'Asia/Shanghai', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false,
});

function number(value, digits) {
  return typeof value === 'number' ? value.toFixed(digits) : '—';
}

function share(value) {
  return typeof value === 'number' ? `${Math.round(value * 100)}%` : '—';
}

/** A span of seconds in the largest unit that reads well: "45 秒", "12 分钟", "3 小时", "2 天". */
function span(seconds) {
  const s = Math.max(0, Math.round(seconds));
  if (s < 120) return t('opsSeconds', { n: s });
  if (s < 7200) return t('opsMinutesShort', { n: Math.round(s / 60) });
  if (s < 172800) return t('opsHoursShort', { n: Math.round(s / 3600) });
  return t('opsDaysShort', { n: Math.round(s / 86400) });
}
