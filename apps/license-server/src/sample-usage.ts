import { randomUUID } from 'node:crypto';
import {
  MAX_COUNT,
  MAX_RECORDS_PER_REPORT,
  type TLicenseModel,
  type TUsageRecord,
  type TUsageReport,
} from '@reg/contracts/usage-api';

/**
 * Plausible usage for demos and tests, standing in for the License Server's real
 * counters: one record per day per product, edition and license model, busy on
 * weekdays, quiet at weekends, with the odd overdraft (inUse > installed) that the
 * console must show. Seeded, so the same server tells the same story for a given day.
 */
const CATALOGUE: { productCode: string; editions: string[]; size: number }[] = [
  { productCode: 'XDT', editions: ['PLT', 'ENT', 'ADV'], size: 1200 },
  { productCode: 'XA', editions: ['PLT', 'ENT', 'ADV'], size: 600 },
  { productCode: 'XD', editions: ['PLT', 'ENT', 'ADV'], size: 350 },
];
const MODELS: TLicenseModel[] = ['user-device', 'concurrent'];
const DAY_MS = 86_400_000;
/** The cloud refuses periods older than 400 days; a whole day must fit inside. */
export const MAX_SAMPLE_DAYS = 399;

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** mulberry32: small, fast and good enough for sample data. */
function random(seed: string): () => number {
  let a = hash(seed);
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp = (n: number) => Math.max(0, Math.min(MAX_COUNT, Math.round(n)));

export function startOfUtcDay(at: Date): number {
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
}

/** Records for the `days` whole UTC days before `now`, oldest day first. */
export function generateSampleRecords(options: { days: number; now?: Date; seed?: string }): TUsageRecord[] {
  const { days, now = new Date(), seed = 'sample' } = options;
  if (!Number.isInteger(days) || days < 1 || days > MAX_SAMPLE_DAYS) {
    throw new RangeError(`days must be a whole number from 1 to ${MAX_SAMPLE_DAYS}`);
  }
  const today = startOfUtcDay(now);
  const records: TUsageRecord[] = [];
  for (let d = days; d >= 1; d--) {
    const start = today - d * DAY_MS;
    const weekday = new Date(start).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    for (const { productCode, editions, size } of CATALOGUE) {
      editions.forEach((edition, e) => {
        for (const licenseModel of MODELS) {
          const key = `${seed}/${productCode}/${edition}/${licenseModel}`;
          const base = random(key);
          // Higher editions and concurrent licences are bought in smaller numbers.
          const installedBase = size * (1 - e * 0.3) * (licenseModel === 'concurrent' ? 0.4 : 1) * (0.7 + base() * 0.6);
          // Licences are bought in steps over the year: a few percent more every ~90 days.
          const purchases = Math.floor((MAX_SAMPLE_DAYS - d) / 90);
          const installed = clamp(installedBase * (1 + 0.03 * purchases));
          const daily = random(`${key}/${start}`);
          const utilisation = weekend ? 0.08 + daily() * 0.2 : 0.6 + daily() * 0.3;
          const overdraft = !weekend && daily() < 0.04;
          const inUse = clamp(overdraft ? installed * (1.01 + daily() * 0.09) : installed * utilisation);
          const peakInUse = clamp(inUse * (1 + daily() * (weekend ? 0.3 : 0.12)));
          records.push({
            periodStart: new Date(start).toISOString(),
            periodEnd: new Date(start + DAY_MS).toISOString(),
            productCode,
            edition,
            licenseModel,
            installed,
            inUse,
            peakInUse,
          });
        }
      });
    }
  }
  return records;
}

/** Splits records into reports the cloud accepts (at most 5,000 records each). */
export function buildReports(
  records: TUsageRecord[],
  options: { productVersion: string; now?: Date; maxRecords?: number },
): TUsageReport[] {
  const { productVersion, now = new Date(), maxRecords = MAX_RECORDS_PER_REPORT } = options;
  const reports: TUsageReport[] = [];
  for (let i = 0; i < records.length; i += maxRecords) {
    reports.push({
      reportId: randomUUID(),
      collectedAt: now.toISOString(),
      server: { productVersion },
      records: records.slice(i, i + maxRecords),
    });
  }
  return reports;
}
