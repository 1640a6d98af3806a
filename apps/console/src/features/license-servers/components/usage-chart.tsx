import type { TUsageSeries } from '@reg/contracts/usage-api';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

// Loaded on demand (React.lazy): recharts is most of the console's weight.

const COLORS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2', '#dc2626', '#4b5563'];

export const seriesLabel = (series: TUsageSeries['series'][number]) => `${series.productCode} ${series.edition}`;

function toRows(data: TUsageSeries) {
  const byDay = new Map<string, Record<string, number | string>>();
  data.series.forEach((series, index) => {
    for (const point of series.points) {
      const row = byDay.get(point.day) ?? { day: point.day };
      row[`s${index}-installed`] = point.installed;
      row[`s${index}-inUse`] = point.inUse;
      byDay.set(point.day, row);
    }
  });
  return [...byDay.values()].sort((a, b) => String(a.day).localeCompare(String(b.day)));
}

export default function UsageChart({ data }: { data: TUsageSeries }) {
  const rows = toRows(data);
  return (
    <ResponsiveContainer width="100%" height={320}>
      <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }} accessibilityLayer={false}>
        <CartesianGrid stroke="#e5e7eb" strokeDasharray="3 3" />
        <XAxis dataKey="day" tick={{ fontSize: 12 }} minTickGap={24} />
        <YAxis allowDecimals={false} tick={{ fontSize: 12 }} width={48} />
        <Tooltip />
        <Legend wrapperStyle={{ fontSize: 12 }} />
        {data.series.flatMap((series, index) => {
          const color = COLORS[index % COLORS.length];
          const label = seriesLabel(series);
          return [
            <Line
              key={`s${index}-installed`}
              type="monotone"
              dataKey={`s${index}-installed`}
              name={`${label} installed`}
              stroke={color}
              strokeWidth={2}
              dot={false}
              isAnimationActive={false}
            />,
            <Line
              key={`s${index}-inUse`}
              type="monotone"
              dataKey={`s${index}-inUse`}
              name={`${label} in use`}
              stroke={color}
              strokeWidth={2}
              strokeDasharray="5 4"
              dot={false}
              isAnimationActive={false}
            />,
          ];
        })}
      </LineChart>
    </ResponsiveContainer>
  );
}
