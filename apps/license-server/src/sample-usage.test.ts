import { describe, expect, it } from 'vitest';
import { MAX_RECORDS_PER_REPORT, ZUsageReport } from '@reg/contracts/usage-api';
import { buildReports, generateSampleRecords, MAX_SAMPLE_DAYS, parseInterval } from './sample-usage.ts';

const now = new Date('2026-11-27T10:30:00Z');

describe('sample usage', () => {
  it('gives one record per day per product, edition and license model, for whole past UTC days', () => {
    const records = generateSampleRecords({ days: 7, now });
    const days = new Set(records.map((r) => r.periodStart));
    expect(days.size).toBe(7);
    const perDay = records.length / 7;
    expect(perDay).toBeGreaterThanOrEqual(12);
    const keys = new Set(records.map((r) => `${r.periodStart}/${r.productCode}/${r.edition}/${r.licenseModel}`));
    expect(keys.size).toBe(records.length);
    expect(new Set(records.map((r) => r.licenseModel))).toEqual(new Set(['user-device', 'concurrent']));
    expect(new Set(records.map((r) => r.productCode)).size).toBeGreaterThanOrEqual(3);
    expect(records[0]?.periodStart).toBe('2026-11-20T00:00:00.000Z');
    expect(records.at(-1)?.periodEnd).toBe('2026-11-27T00:00:00.000Z');
    for (const r of records) {
      expect(Date.parse(r.periodEnd) - Date.parse(r.periodStart)).toBe(86_400_000);
      expect(r.peakInUse).toBeGreaterThanOrEqual(r.inUse);
    }
  });

  it('is lower at weekends than on weekdays', () => {
    const records = generateSampleRecords({ days: 56, now });
    const average = (weekend: boolean) => {
      const chosen = records.filter((r) => [0, 6].includes(new Date(r.periodStart).getUTCDay()) === weekend);
      return chosen.reduce((sum, r) => sum + r.inUse / Math.max(1, r.installed), 0) / chosen.length;
    };
    expect(average(true)).toBeLessThan(average(false) / 2);
  });

  it('has the odd overdraft on one key of a server; most servers and days are within their licenses', () => {
    const records = generateSampleRecords({ days: 90, now });
    const overdrafts = records.filter((r) => r.inUse > r.installed || r.peakInUse > r.installed);
    expect(overdrafts.length).toBeGreaterThan(0);
    expect(overdrafts.length).toBeLessThan(records.length * 0.02);
    expect(new Set(overdrafts.map((r) => `${r.productCode}/${r.edition}/${r.licenseModel}`)).size).toBe(1);
    // Of 50 servers, most have no key over on their latest day (what the License Servers list flags).
    const flagged = Array.from({ length: 50 }, (_, i) =>
      generateSampleRecords({ days: 1, now, seed: `server-${i}` }),
    ).filter((day) => day.some((r) => r.inUse > r.installed));
    expect(flagged.length).toBeLessThan(10);
  });

  it('carries yearly maintenance dates on every key and an expiry on a few, ahead of today and steady from day to day', () => {
    const records = generateSampleRecords({ days: 3, now, seed: 'dated' });
    expect(records.every((r) => r.maintenanceEndsAt && r.maintenanceEndsAt > '2026-11-27')).toBe(true);
    const expiring = records.filter((r) => r.expiresAt);
    expect(expiring.length).toBeLessThan(records.length / 2);
    const tomorrow = generateSampleRecords({ days: 3, now: new Date(now.getTime() + 86_400_000), seed: 'dated' });
    expect(tomorrow.map((r) => r.maintenanceEndsAt)).toEqual(records.map((r) => r.maintenanceEndsAt));
    for (const report of buildReports(records, { productVersion: '11.17.2.0', now }))
      expect(() => ZUsageReport.parse(report)).not.toThrow();
  });

  it('splits into reports the contract accepts, at most 5,000 records each', () => {
    const records = generateSampleRecords({ days: MAX_SAMPLE_DAYS, now });
    const reports = buildReports(records, { productVersion: '11.17.2.0', now });
    expect(reports.length).toBe(Math.ceil(records.length / MAX_RECORDS_PER_REPORT));
    expect(reports.flatMap((r) => r.records)).toEqual(records);
    expect(new Set(reports.map((r) => r.reportId)).size).toBe(reports.length);
    for (const report of reports) {
      expect(() => ZUsageReport.parse(report)).not.toThrow();
      expect(report.records.length).toBeLessThanOrEqual(MAX_RECORDS_PER_REPORT);
    }
    // The oldest period must still be inside the cloud's 400-day window.
    expect(now.getTime() - Date.parse(records[0]!.periodStart)).toBeLessThan(400 * 86_400_000);
  });

  it('tells the same story for the same server and day, and another for another server', () => {
    const a = generateSampleRecords({ days: 3, now, seed: 'server-a' });
    expect(generateSampleRecords({ days: 3, now, seed: 'server-a' })).toEqual(a);
    expect(generateSampleRecords({ days: 3, now, seed: 'server-b' })).not.toEqual(a);
  });

  it('refuses a number of days the cloud would refuse', () => {
    expect(() => generateSampleRecords({ days: 0, now })).toThrow(RangeError);
    expect(() => generateSampleRecords({ days: 400, now })).toThrow(RangeError);
  });

  it('makes 15-minute snapshots: 96 a day per product key, quiet at night, the day peaking at its daily figures', () => {
    const daily = generateSampleRecords({ days: 2, now, seed: 's' });
    const snapshots = generateSampleRecords({ days: 2, now, seed: 's', intervalMinutes: parseInterval('15m') });
    expect(snapshots).toHaveLength(daily.length * 96);
    const first = daily[0]!;
    const sameKey = snapshots.filter(
      (r) =>
        r.productCode === first.productCode &&
        r.edition === first.edition &&
        r.licenseModel === first.licenseModel &&
        r.periodStart.slice(0, 10) === first.periodStart.slice(0, 10),
    );
    expect(sameKey).toHaveLength(96);
    expect(Date.parse(sameKey[1]!.periodStart) - Date.parse(sameKey[0]!.periodStart)).toBe(15 * 60_000);
    expect(Math.max(...sameKey.map((r) => r.inUse))).toBeLessThanOrEqual(first.inUse);
    expect(Math.max(...sameKey.map((r) => r.inUse))).toBeGreaterThan(first.inUse * 0.9);
    expect(sameKey[8]!.inUse).toBeLessThan(sameKey[52]!.inUse); // 02:00 quieter than 13:00
    expect(() => parseInterval('7m')).toThrow(RangeError);
    expect([parseInterval('1h'), parseInterval('1d'), parseInterval('30')]).toEqual([60, 1440, 30]);
  });
});
