import type { TGranularity, TUsageSeries } from '@reg/contracts/usage-api';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { align, CHART_HEIGHT, chartOptions, colorOf, seriesLabel } from './usage-chart-options.ts';
import { UsageChartTooltip, type THover } from './usage-chart-tooltip.tsx';

// Loaded on demand (React.lazy) with uPlot (canvas, ~20 KB gzipped). Drawing only: the
// container is role="img" with a label, and the table beside it carries the same data.

/** More series than this (twice as many lines) and one product is charted at a time. */
const MAX_SERIES_AT_ONCE = 8;
const ALL = '';

interface UsageChartProps {
  data: Pick<TUsageSeries, 'series'>;
  from: string;
  to: string;
  /** A month's point holds for its whole month: drawn as steps, not a daily line. */
  granularity?: TGranularity;
  /** Days on which fewer servers reported than were registered (the overview): marked on the chart. */
  markedDays?: string[];
}

const NO_MARKS: string[] = [];

export default function UsageChart({ data, from, to, granularity = 'day', markedDays = NO_MARKS }: UsageChartProps) {
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
    const onCursor = (u: uPlot) => {
      const index = u.cursor.idx;
      const left = u.cursor.left ?? -1;
      if (index === null || index === undefined || left < 0) return setHover(null);
      const overRect = u.over.getBoundingClientRect();
      const hostRect = host.getBoundingClientRect();
      setHover({
        index,
        left: overRect.left - hostRect.left + left,
        top: overRect.top - hostRect.top,
        width: hostRect.width,
      });
    };
    const width = () => Math.max(target.clientWidth, 200);
    const options = chartOptions({ series, aligned, from, to, width: width(), onCursor, monthly, markedDays });
    const plot = new uPlot(options, aligned.data, target);
    const observer = new ResizeObserver(() => {
      if (width() !== plot.width) plot.setSize({ width: width(), height: CHART_HEIGHT });
    });
    observer.observe(target);
    return () => {
      observer.disconnect();
      plot.destroy();
      setHover(null);
    };
  }, [aligned, series, from, to, monthly, markedDays]);

  const hoveredDay = hover ? aligned.days[hover.index] : undefined;
  // Periods where no charted key has a report: the lines break there (no report is not zero).
  const gaps = useMemo(
    () => aligned.days.filter((_, i) => aligned.data.slice(1).every((column) => column[i] === null)).length,
    [aligned],
  );
  const gapWords = gaps
    ? `; no report on ${gaps} ${monthly ? (gaps === 1 ? 'month' : 'months') : gaps === 1 ? 'day' : 'days'}, where the lines break`
    : '';
  const markWords = markedDays.length
    ? `; fewer servers reported than were registered on ${markedDays.length} ${markedDays.length === 1 ? 'day' : 'days'}, marked below the lines`
    : '';
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
        aria-label={`Usage chart: installed and in use ${scope}, ${monthly ? 'per month' : 'per day'}, ${from} to ${to}${gapWords}${markWords}`}
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
          <UsageChartTooltip hover={hover} day={hoveredDay} series={series} data={aligned.data} monthly={monthly} />
        ) : null}
      </div>
    </>
  );
}
