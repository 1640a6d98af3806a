import type { TUsageSeries } from '@reg/contracts/usage-api';
import uPlot from 'uplot';
import { formatNumber } from '../../../lib/format.ts';
import { seriesLabel } from './usage-labels.ts';

// What the usage chart draws, as plain functions of the data (tested without a browser);
// usage-chart.tsx only mounts uPlot with these options and shows the tooltip.

export type TSeries = TUsageSeries['series'][number];

/** Distinguishable on white and for the common colour-vision deficiencies (Okabe–Ito based). */
const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#6b46c1', '#4b5563'];
const IN_USE_DASH = [6, 4];
export const CHART_HEIGHT = 300;
const DAY = 86_400;

const FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const AXIS_TEXT = '#5b6472';
const GRID = '#eceef2';
const TICKS = '#d9dde3';

export { seriesLabel };

export const colorOf = (index: number) => COLORS[index % COLORS.length] ?? '#4b5563';

const daySeconds = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' });
export const monthYearFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** Whole days at least: the usage is per day. Month and year steps are aligned by uPlot. */
const X_INCRS = [1, 2, 3, 7, 14, 30, 60, 90, 180, 365].map((days) => days * DAY);
/** Whole numbers only: licences are counted. */
const Y_INCRS = [1, 1_000, 1_000_000]
  .flatMap((scale) => [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500].map((n) => n * scale))
  .sort((a, b) => a - b);

interface TAligned {
  days: string[];
  data: uPlot.AlignedData;
}

/** One x value per day any series has; null where a series has no data that day (a gap). */
export function align(series: TSeries[]): TAligned {
  const days = [...new Set(series.flatMap((s) => s.points.map((point) => point.day)))].sort();
  const at = new Map(days.map((day, index) => [day, index]));
  const columns: (number | null)[][] = [];
  for (const s of series) {
    const installed = new Array<number | null>(days.length).fill(null);
    const inUse = new Array<number | null>(days.length).fill(null);
    for (const point of s.points) {
      const index = at.get(point.day);
      if (index === undefined) continue;
      installed[index] = point.installed;
      inUse[index] = point.inUse;
    }
    columns.push(installed, inUse);
  }
  return { days, data: [days.map(daySeconds), ...columns] };
}

/** Day labels for short steps; months for long ones, with the year where it changes. */
export function xLabels(splits: number[], incr: number): string[] {
  let lastYear: number | null = null;
  return splits.map((split) => {
    const date = new Date(split * 1000);
    if (incr < 28 * DAY) return dayFormat.format(date);
    const year = date.getUTCFullYear();
    const label = lastYear === null || year !== lastYear ? monthYearFormat.format(date) : monthFormat.format(date);
    lastYear = year;
    return label;
  });
}

/** Room for the longest y label, so large counts are never clipped. */
function yAxisSize(u: uPlot, values: string[] | null) {
  const longest = (values ?? []).reduce((max, value) => Math.max(max, value.length), 1);
  return Math.ceil(longest * 7.2) + 18 + (u.axes[1]?.gap ?? 0);
}

/** The x axis spans the whole range asked for, even where there is no data yet (seconds). */
export function xRange(days: string[], from: string, to: string): [number, number] {
  const firstDay = days[0] ?? from;
  const lastDay = days[days.length - 1] ?? to;
  const min = daySeconds(firstDay < from ? firstDay : from);
  const max = daySeconds(lastDay > to ? lastDay : to);
  return [min, max === min ? max + DAY : max];
}

/** Steps that hold each month's value until the next month starts. */
const monthSteps = uPlot.paths.stepped?.({ align: 1 });

/**
 * The indices of values without a value on either side: a line can't be drawn through them (a
 * key reported on one day only, or a day between gaps), so they are drawn as points; null: none.
 */
export function isolatedPoints(values: ArrayLike<number | null | undefined>): number[] | null {
  const present = (i: number) => values[i] !== null && values[i] !== undefined;
  const indices: number[] = [];
  for (let i = 0; i < values.length; i++) if (present(i) && !present(i - 1) && !present(i + 1)) indices.push(i);
  return indices.length ? indices : null;
}

/** Lines only; a value that no line reaches is a point (isolatedPoints): filled for installed, hollow for in use. */
const points = (fill?: string): uPlot.Series.Points => ({
  show: false,
  filter: (u, seriesIdx) => isolatedPoints(u.data[seriesIdx] ?? []),
  ...(fill ? { fill } : {}),
});

/** Two lines per series: installed solid, in use dashed, in the series' colour (steps for months). */
export function lineSeries(series: TSeries[], monthly = false): uPlot.Series[] {
  const paths = monthly && monthSteps ? { paths: monthSteps } : {};
  return series.flatMap((s, index): uPlot.Series[] => {
    const stroke = colorOf(index);
    const label = seriesLabel(s);
    return [
      { label: `${label} installed`, stroke, width: 2, points: points(stroke), ...paths },
      { label: `${label} in use`, stroke, width: 2, dash: IN_USE_DASH, points: points(), ...paths },
    ];
  });
}

export function chartOptions(args: {
  series: TSeries[];
  aligned: TAligned;
  from: string;
  to: string;
  width: number;
  onCursor: (u: uPlot) => void;
  /** A month's point holds for its whole month: drawn as steps, not a daily line. */
  monthly?: boolean;
  /** Days on which fewer servers reported than were registered: a mark below the lines. */
  markedDays?: string[];
}): uPlot.Options {
  const [xMin, xMax] = xRange(args.aligned.days, args.from, args.to);
  const axis = { font: FONT, stroke: AXIS_TEXT };
  return {
    width: args.width,
    height: CHART_HEIGHT,
    tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
    legend: { show: false },
    // Near a line, the others fade: one line can be followed among many.
    focus: { alpha: 0.3 },
    padding: [12, 28, 0, 0],
    cursor: {
      y: false,
      drag: { x: false, y: false, setScale: false },
      points: { size: 7, width: 2, fill: '#ffffff' },
      focus: { prox: 12 },
    },
    scales: {
      x: { time: true, range: () => [xMin, xMax] },
      y: { range: (_u, _min, max) => [0, uPlot.rangeNum(0, Math.max(max, 1), 0.1, true)[1]] },
    },
    axes: [
      {
        ...axis,
        grid: { show: false },
        ticks: { stroke: TICKS, width: 1, size: 6 },
        incrs: X_INCRS,
        space: 64,
        values: (_u, splits, _axis, _space, incr) => xLabels(splits, incr),
      },
      {
        ...axis,
        grid: { stroke: GRID, width: 1 },
        ticks: { show: false },
        incrs: Y_INCRS,
        space: 36,
        size: yAxisSize,
        values: (_u, splits) => splits.map((split) => formatNumber(split)),
      },
    ],
    series: [{}, ...lineSeries(args.series, args.monthly)],
    hooks: { setCursor: [args.onCursor], draw: [(u) => drawDayMarks(u, args.markedDays ?? [])] },
  };
}

const MARK_COLOR = '#b45309';

/** A small triangle at the foot of the plot on each marked day (the table says the same in words). */
function drawDayMarks(u: uPlot, days: string[]) {
  if (!days.length) return;
  const { ctx, bbox } = u;
  const size = 5 * (window.devicePixelRatio || 1);
  const bottom = bbox.top + bbox.height;
  ctx.save();
  ctx.fillStyle = MARK_COLOR;
  for (const day of days) {
    const x = u.valToPos(daySeconds(day), 'x', true);
    if (x < bbox.left || x > bbox.left + bbox.width) continue;
    ctx.beginPath();
    ctx.moveTo(x, bottom - size * 1.6);
    ctx.lineTo(x - size, bottom);
    ctx.lineTo(x + size, bottom);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}
