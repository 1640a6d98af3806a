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
 * weekdays, quiet at weekends. Only one key per server (chosen by the seed) ever goes
 * over what is installed, on the odd weekday, so most servers and days are within their
 * licenses, as in the field, and the console still has an overdraft to show. Each key
 * carries the dates a License Server reads from its license files: maintenance (Customer
 * Success Services) renewed yearly on a day of the seed's choosing, and an expiry for
 * term licenses only (most are permanent). Seeded, so the same server tells the same
 * story for a given day.
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

/** Days from `today` to a yearly date: the next one strictly after today, `offset` days into the year. */
function nextAnniversary(today: number, offset: number): string {
  const year = new Date(today).getUTCFullYear();
  for (const y of [year, year + 1]) {
    const at = Date.UTC(y, 0, 1) + offset * DAY_MS;
    if (at > today) return new Date(at).toISOString().slice(0, 10);
  }
  return new Date(Date.UTC(year + 1, 0, 1) + offset * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The key's dates, fixed for a server over the year (a date that moved every day would be a
 * new date every day): maintenance renewed yearly; about one key in six on a term license
 * that expires on its own yearly day.
 */
function datesOf(key: string, today: number): Pick<TUsageRecord, 'expiresAt' | 'maintenanceEndsAt'> {
  const pick = random(`${key}/dates`);
  const maintenanceEndsAt = nextAnniversary(today, Math.floor(pick() * 365));
  const term = pick() < 1 / 6;
  const expiresAt = term ? nextAnniversary(today, Math.floor(pick() * 365)) : null;
  return { expiresAt, maintenanceEndsAt };
}

function startOfUtcDay(at: Date): number {
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
}

const MINUTE_MS = 60_000;

/**
 * "15m", "1h", "1d" (or plain minutes) as minutes; it must divide a day, at least 5 minutes,
 * as License Servers snapshot their counters (every 15 minutes in the field).
 */
export function parseInterval(text: string): number {
  const match = /^(\d+)\s*([mhd]?)$/i.exec(text.trim());
  const unit = { '': 1, m: 1, h: 60, d: 1440 }[(match?.[2] ?? '').toLowerCase()] ?? 1;
  const minutes = match ? Number(match[1]) * unit : NaN;
  if (!Number.isInteger(minutes) || minutes < 5 || minutes > 1440 || 1440 % minutes !== 0)
    throw new RangeError('the interval must divide a day and be at least 5 minutes, e.g. 15m, 1h or 1d');
  return minutes;
}

/** Share of the day's use at this time: quiet at night, busiest early afternoon (UTC, for simplicity). */
function dayShape(minuteOfDay: number): number {
  const hours = minuteOfDay / 60;
  return 0.15 + 0.85 * Math.exp(-((hours - 13) ** 2) / (2 * 3.2 ** 2));
}

/**
 * Records for the `days` whole UTC days before `now`, oldest day first: one per day, or with
 * `intervalMinutes` one snapshot per interval (15 minutes: 96 a day per product key), each
 * following the day's curve, its peak reaching that day's daily figures.
 */
export function generateSampleRecords(options: {
  days: number;
  now?: Date;
  seed?: string;
  intervalMinutes?: number;
}): TUsageRecord[] {
  const { days, now = new Date(), seed = 'sample', intervalMinutes = 1440 } = options;
  if (!Number.isInteger(days) || days < 1 || days > MAX_SAMPLE_DAYS) {
    throw new RangeError(`days must be a whole number from 1 to ${MAX_SAMPLE_DAYS}`);
  }
  const slots = Math.round(1440 / intervalMinutes);
  const today = startOfUtcDay(now);
  const records: TUsageRecord[] = [];
  const keys = CATALOGUE.flatMap(({ productCode, editions }) =>
    editions.flatMap((edition) => MODELS.map((model) => `${productCode}/${edition}/${model}`)),
  );
  // The one key of this server that sometimes runs short.
  const tight = keys[Math.floor(random(`${seed}/tight`)() * keys.length)];
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
          const utilisation = weekend ? 0.08 + daily() * 0.2 : 0.55 + daily() * 0.3;
          const overdraft = !weekend && `${productCode}/${edition}/${licenseModel}` === tight && daily() < 0.08;
          const inUse = clamp(overdraft ? installed * (1.01 + daily() * 0.09) : installed * utilisation);
          // Within the licenses, the day's peak stays at or below what is installed.
          const peak = inUse * (1 + daily() * (weekend ? 0.3 : 0.12));
          const peakInUse = clamp(overdraft ? peak : Math.min(peak, installed));
          const dates = datesOf(key, today);
          for (let slot = 0; slot < slots; slot++) {
            const periodStart = start + slot * intervalMinutes * MINUTE_MS;
            // Whole days keep the day's figures; snapshots follow the day's curve up to them.
            const shape = slots === 1 ? 1 : dayShape((slot + 0.5) * intervalMinutes) / dayShape(13 * 60);
            const jitter = slots === 1 ? 1 : 0.97 + daily() * 0.03;
            records.push({
              periodStart: new Date(periodStart).toISOString(),
              periodEnd: new Date(periodStart + intervalMinutes * MINUTE_MS).toISOString(),
              productCode,
              edition,
              licenseModel,
              installed,
              inUse: clamp(inUse * Math.min(1, shape) * jitter),
              peakInUse: clamp(peakInUse * Math.min(1, shape * 1.05) * jitter),
              ...dates,
            });
          }
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
