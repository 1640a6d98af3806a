import type { TGranularity, TUsageSeries } from '@reg/contracts/usage-api';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatNumber } from '../../../lib/format.ts';
import { seriesLabel } from './usage-labels.ts';

// Loaded on demand (React.lazy) with uPlot (canvas, ~20 KB gzipped). Drawing only: the
// container is role="img" with a label, and the table beside it carries the same data.

type TSeries = TUsageSeries['series'][number];

/** Distinguishable on white and for the common colour-vision deficiencies (Okabe–Ito based). */
const COLORS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#6b46c1', '#4b5563'];
const IN_USE_DASH = [6, 4];
const HEIGHT = 300;
const DAY = 86_400;

const FONT = "12px system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
const AXIS_TEXT = '#5b6472';
const GRID = '#eceef2';
const TICKS = '#d9dde3';

const colorOf = (index: number) => COLORS[index % COLORS.length] ?? '#4b5563';

const daySeconds = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const monthFormat = new Intl.DateTimeFormat(undefined, { month: 'short', timeZone: 'UTC' });
const monthYearFormat = new Intl.DateTimeFormat(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });
const longDayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

/** Whole days at least: the usage is per day. Month and year steps are aligned by uPlot. */
const X_INCRS = [1, 2, 3, 7, 14, 30, 60, 90, 180, 365].map((days) => days * DAY);
/** Whole numbers only: licences are counted. */
const Y_INCRS = [1, 1_000, 1_000_000]
  .flatMap((scale) => [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500].map((n) => n * scale))
  .sort((a, b) => a - b);
/** More series than this (twice as many lines) and one product is charted at a time. */
const MAX_SERIES_AT_ONCE = 8;
const ALL = '';

interface TAligned {
  days: string[];
  data: uPlot.AlignedData;
}

/** One x value per day any series has; null where a series has no data that day (a gap). */
function align(series: TSeries[]): TAligned {
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

function xValues(_u: uPlot, splits: number[], _axis: number, _space: number, incr: number) {
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

interface THover {
  index: number;
  left: number;
  top: number;
  width: number;
}

interface UsageChartProps {
  data: Pick<TUsageSeries, 'series'>;
  from: string;
  to: string;
  /** A month's point holds for its whole month: drawn as steps, not a daily line. */
  granularity?: TGranularity;
}

/** Steps that hold each month's value until the next month starts. */
const monthSteps = uPlot.paths.stepped?.({ align: 1 });

export default function UsageChart({ data, from, to, granularity = 'day' }: UsageChartProps) {
  const monthly = granularity === 'month';
  const hostRef = useRef<HTMLDivElement>(null);
  const plotRef = useRef<HTMLDivElement>(null);
  const productId = useId();
  const [hover, setHover] = useState<THover | null>(null);
  const withData = useMemo(() => data.series.filter((s) => s.points.length > 0), [data]);
  const products = useMemo(() => [...new Set(withData.map((s) => s.productCode))].sort(), [withData]);
  const [picked, setPicked] = useState<string | null>(null);
  // Until someone picks: all products if that stays readable, else the first one.
  const product =
    picked !== null && (picked === ALL || products.includes(picked))
      ? picked
      : withData.length > MAX_SERIES_AT_ONCE && products.length > 1
        ? (products[0] ?? ALL)
        : ALL;
  const series = useMemo(
    () => (product === ALL ? withData : withData.filter((s) => s.productCode === product)),
    [withData, product],
  );
  const aligned = useMemo(() => align(series), [series]);

  useEffect(() => {
    const host = hostRef.current;
    const target = plotRef.current;
    if (!host || !target) return undefined;

    // The x axis spans the whole range asked for, even where there is no data yet.
    const firstDay = aligned.days[0] ?? from;
    const lastDay = aligned.days[aligned.days.length - 1] ?? to;
    const xMin = daySeconds(firstDay < from ? firstDay : from);
    const xMax = daySeconds(lastDay > to ? lastDay : to);

    const options: uPlot.Options = {
      width: Math.max(target.clientWidth, 200),
      height: HEIGHT,
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
        x: { time: true, range: () => [xMin, xMax === xMin ? xMax + DAY : xMax] },
        y: {
          range: (_u, _min, max) => {
            const top = Math.max(max, 1);
            return [0, uPlot.rangeNum(0, top, 0.1, true)[1]];
          },
        },
      },
      axes: [
        {
          font: FONT,
          stroke: AXIS_TEXT,
          grid: { show: false },
          ticks: { stroke: TICKS, width: 1, size: 6 },
          incrs: X_INCRS,
          space: 64,
          values: xValues,
        },
        {
          font: FONT,
          stroke: AXIS_TEXT,
          grid: { stroke: GRID, width: 1 },
          ticks: { show: false },
          incrs: Y_INCRS,
          space: 36,
          size: yAxisSize,
          values: (_u, splits) => splits.map((split) => formatNumber(split)),
        },
      ],
      series: [
        {},
        ...series.flatMap((s, index): uPlot.Series[] => {
          const color = colorOf(index);
          const label = seriesLabel(s);
          return [
            {
              label: `${label} installed`,
              stroke: color,
              width: 2,
              points: { show: false },
              ...(monthly && monthSteps && { paths: monthSteps }),
            },
            {
              label: `${label} in use`,
              stroke: color,
              width: 2,
              dash: IN_USE_DASH,
              points: { show: false },
              ...(monthly && monthSteps && { paths: monthSteps }),
            },
          ];
        }),
      ],
      hooks: {
        setCursor: [
          (u) => {
            const index = u.cursor.idx;
            const left = u.cursor.left ?? -1;
            if (index === null || index === undefined || left < 0) {
              setHover(null);
              return;
            }
            const overRect = u.over.getBoundingClientRect();
            const hostRect = host.getBoundingClientRect();
            setHover({
              index,
              left: overRect.left - hostRect.left + left,
              top: overRect.top - hostRect.top,
              width: hostRect.width,
            });
          },
        ],
      },
    };

    const plot = new uPlot(options, aligned.data, target);
    const observer = new ResizeObserver(() => {
      const width = Math.max(target.clientWidth, 200);
      if (width !== plot.width) plot.setSize({ width, height: HEIGHT });
    });
    observer.observe(target);
    return () => {
      observer.disconnect();
      plot.destroy();
      setHover(null);
    };
  }, [aligned, series, from, to, monthly]);

  const hoveredDay = hover ? aligned.days[hover.index] : undefined;
  // Right of the cursor, or left of it near the right edge.
  const flip = hover !== null && hover.left > hover.width - 280;

  const scope = product === ALL ? 'per product and edition' : `per edition of ${product}`;
  return (
    <>
      {products.length > 1 ? (
        <div className="field field-inline usage-chart-filter">
          <label htmlFor={productId}>Product</label>
          <select id={productId} value={product} onChange={(event) => setPicked(event.target.value)}>
            <option value={ALL}>All products</option>
            {products.map((code) => (
              <option key={code} value={code}>
                {code}
              </option>
            ))}
          </select>
        </div>
      ) : null}
      <div
        ref={hostRef}
        className="usage-chart"
        role="img"
        aria-label={`Usage chart: installed and in use ${scope}, ${monthly ? 'per month' : 'per day'}, ${from} to ${to}`}
      >
        <ul className="usage-chart-legend">
          <li className="usage-chart-key">
            <span className="usage-chart-line" />
            Installed
          </li>
          <li className="usage-chart-key">
            <span className="usage-chart-line usage-chart-line-dashed" />
            In use
          </li>
          {series.map((s, index) => (
            <li key={`${s.productCode}/${s.edition}/${s.licenseModel}`}>
              <span className="usage-chart-swatch" style={{ background: colorOf(index) }} />
              {seriesLabel(s)}
            </li>
          ))}
        </ul>
        <div ref={plotRef} className="usage-chart-plot" />
        {hover && hoveredDay ? (
          <div
            className="usage-chart-tooltip"
            style={{
              top: hover.top + 8,
              left: flip ? undefined : hover.left + 14,
              right: flip ? hover.width - hover.left + 14 : undefined,
            }}
          >
            <div className="usage-chart-tooltip-day">
              {(monthly ? monthYearFormat : longDayFormat).format(new Date(`${hoveredDay}T00:00:00Z`))}
            </div>
            <table>
              <thead>
                <tr>
                  <th />
                  <th>Installed</th>
                  <th>In use</th>
                </tr>
              </thead>
              <tbody>
                {series.map((s, index) => {
                  const installed = aligned.data[1 + index * 2]?.[hover.index];
                  const inUse = aligned.data[2 + index * 2]?.[hover.index];
                  return (
                    <tr key={`${s.productCode}/${s.edition}/${s.licenseModel}`}>
                      <th>
                        <span className="usage-chart-swatch" style={{ background: colorOf(index) }} />
                        {seriesLabel(s)}
                      </th>
                      <td>{typeof installed === 'number' ? formatNumber(installed) : '–'}</td>
                      <td>{typeof inUse === 'number' ? formatNumber(inUse) : '–'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        ) : null}
      </div>
    </>
  );
}
