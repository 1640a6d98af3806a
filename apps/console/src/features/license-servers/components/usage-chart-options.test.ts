import type uPlot from 'uplot';
import { describe, expect, it } from 'vitest';
import {
  align,
  chartOptions,
  isolatedPoints,
  lineSeries,
  seriesLabel,
  xLabels,
  xRange,
  type TSeries,
} from './usage-chart-options.ts';

const DAY = 86_400;
const at = (day: string) => Date.parse(`${day}T00:00:00Z`) / 1000;

const series = (productCode: string, points: [string, number, number][]): TSeries => ({
  productCode,
  edition: 'Enterprise',
  licenseModel: 'concurrent',
  points: points.map(([day, installed, inUse]) => ({ day, installed, inUse, peakInUse: inUse, late: false })),
});

describe('usage chart options', () => {
  it('aligns the series on the days any of them has, with gaps where one has none', () => {
    const aligned = align([
      series('A', [
        ['2026-11-02', 10, 4],
        ['2026-11-01', 9, 3],
      ]),
      series('B', [['2026-11-03', 5, 5]]),
    ]);
    expect(aligned.days).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(aligned.data).toEqual([
      [at('2026-11-01'), at('2026-11-02'), at('2026-11-03')],
      [9, 10, null],
      [3, 4, null],
      [null, null, 5],
      [null, null, 5],
    ]);
  });

  it('spans the whole range asked for, and at least a day', () => {
    expect(xRange(['2026-11-05'], '2026-11-01', '2026-11-30')).toEqual([at('2026-11-01'), at('2026-11-30')]);
    // Data outside the range widens it rather than being cut off.
    expect(xRange(['2026-10-30', '2026-12-01'], '2026-11-01', '2026-11-30')).toEqual([
      at('2026-10-30'),
      at('2026-12-01'),
    ]);
    expect(xRange([], '2026-11-01', '2026-11-01')).toEqual([at('2026-11-01'), at('2026-11-01') + DAY]);
  });

  it('labels days for short steps and months (with the year where it changes) for long ones', () => {
    expect(xLabels([at('2026-11-01')], DAY)[0]).toMatch(/1/);
    const months = xLabels([at('2026-11-01'), at('2026-12-01'), at('2027-01-01')], 30 * DAY);
    expect(months[0]).toMatch(/2026/);
    expect(months[1]).not.toMatch(/2026/);
    expect(months[2]).toMatch(/2027/);
  });

  it('draws installed solid and in use dashed, one colour per series', () => {
    const lines = lineSeries([series('A', []), series('B', [])]);
    expect(lines.map((line) => line.label)).toEqual([
      'A Enterprise (concurrent) installed',
      'A Enterprise (concurrent) in use',
      'B Enterprise (concurrent) installed',
      'B Enterprise (concurrent) in use',
    ]);
    expect(lines[0]?.dash).toBeUndefined();
    expect(lines[1]?.dash).toEqual([6, 4]);
    expect(lines[0]?.stroke).toBe(lines[1]?.stroke);
    expect(lines[0]?.stroke).not.toBe(lines[2]?.stroke);
    expect(seriesLabel({ ...series('C', []), licenseModel: 'user-device' })).toBe('C Enterprise (user/device)');
  });

  it('draws a point where no line can be drawn: one day alone, or a day between gaps', () => {
    expect(isolatedPoints([7])).toEqual([0]);
    expect(isolatedPoints([1, 2, 3])).toBeNull();
    expect(isolatedPoints([1, null, 3, 4, null, 6])).toEqual([0, 5]);
    expect(isolatedPoints([null, 5, null, undefined])).toEqual([1]);
    expect(isolatedPoints([])).toBeNull();
    // What uPlot is given: points hidden, but the isolated ones drawn.
    const [installed, inUse] = lineSeries([series('A', [['2026-11-01', 3, 1]])]);
    const filter = installed?.points?.filter as (u: { data: unknown[] }, seriesIdx: number) => number[] | null;
    expect(installed?.points?.show).toBe(false);
    expect(filter({ data: [[at('2026-11-01')], [3], [1]] }, 1)).toEqual([0]);
    // Installed filled, in use hollow (uPlot's default fill), like solid and dashed lines.
    expect(installed?.points?.fill).toBe(installed?.stroke);
    expect(inUse?.points?.fill).toBeUndefined();
  });

  it('builds the uPlot options: an x series plus two per product, fixed height, whole-number y steps from 0', () => {
    const data = [series('A', [['2026-11-01', 3, 1]])];
    const onCursor = (_u: uPlot) => undefined;
    const options = chartOptions({
      series: data,
      aligned: align(data),
      from: '2026-11-01',
      to: '2026-11-07',
      width: 640,
      onCursor,
    });
    expect(options.width).toBe(640);
    expect(options.height).toBe(300);
    expect(options.series).toHaveLength(3);
    expect(options.hooks?.setCursor).toEqual([onCursor]);
    const yRange = options.scales?.y?.range as (u: uPlot, min: number, max: number) => [number, number];
    const [bottom, top] = yRange({} as uPlot, 0, 7);
    expect(bottom).toBe(0);
    expect(top).toBeGreaterThanOrEqual(7);
    expect(yRange({} as uPlot, 0, 0)[1]).toBeGreaterThanOrEqual(1);
    expect(options.axes?.[1]?.incrs).toContain(1);
  });
});
