import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TUsageReport } from '@reg/contracts/usage-api';
import { Spool } from './spool.ts';
import { StateStore } from './state.ts';

const stateDir = () => join(mkdtempSync(join(tmpdir(), 'ls-spool-')), 'state');

function report(): TUsageReport {
  return {
    reportId: randomUUID(),
    collectedAt: '2026-11-27T01:00:00.000Z',
    server: { productVersion: '11.17.2.0' },
    records: [
      {
        periodStart: '2026-11-26T00:00:00.000Z',
        periodEnd: '2026-11-27T00:00:00.000Z',
        productCode: 'XDT',
        edition: 'PLT',
        licenseModel: 'concurrent',
        installed: 10,
        inUse: 12,
        peakInUse: 12,
      },
    ],
  };
}

describe('spool', () => {
  it('keeps reports oldest first, with the exact body, until removed', () => {
    const spool = new Spool(stateDir());
    const first = spool.add(report());
    const second = spool.add(report());
    expect(spool.list().map((r) => r.reportId)).toEqual([first.reportId, second.reportId]);
    expect(JSON.parse(spool.list()[0]!.json)).toMatchObject({ reportId: first.reportId });
    spool.remove(first.name);
    expect(spool.list().map((r) => r.reportId)).toEqual([second.reportId]);
  });

  it('survives a restart: a new Spool over the same directory sees the same reports', () => {
    const dir = stateDir();
    const added = new Spool(dir).add(report());
    const again = new Spool(dir).list();
    expect(again).toHaveLength(1);
    expect(again[0]).toEqual(added);
  });

  it('is readable only by its owner', () => {
    const dir = stateDir();
    const spool = new Spool(dir);
    const added = spool.add(report());
    expect(statSync(spool.dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(spool.dir, added.name)).mode & 0o777).toBe(0o600);
  });

  it('moves a rejected report aside with its reason, and a damaged file too', () => {
    const spool = new Spool(stateDir());
    const added = spool.add(report());
    const path = spool.reject(added.name, '409 report_conflict');
    expect(spool.list()).toEqual([]);
    expect(JSON.parse(readFileSync(path, 'utf8')).reportId).toBe(added.reportId);
    expect(readFileSync(`${path}.reason.txt`, 'utf8')).toContain('report_conflict');

    writeFileSync(join(spool.dir, '000000000000001-000001-broken.json'), '{"not": "a report"');
    expect(spool.list()).toEqual([]);
    expect(spool.rejected()).toHaveLength(2);
  });
});

describe('state', () => {
  it('keeps the instanceId across loads and forgets only the registration', () => {
    const store = new StateStore(stateDir());
    const first = store.load();
    store.save({
      ...first,
      credential: 'secret',
      registrationId: randomUUID(),
      customer: { id: randomUUID(), name: 'Acme' },
      registeredAt: '2026-11-27T01:00:00.000Z',
    });
    expect(new StateStore(store.dir).load().credential).toBe('secret');
    const kept = store.forgetRegistration();
    expect(kept).toEqual({ instanceId: first.instanceId });
    expect(store.load().instanceId).toBe(first.instanceId);
    expect(statSync(store.dir).mode & 0o777).toBe(0o700);
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    // Written by rename: no temporary files left behind.
    expect(readdirSync(store.dir)).toEqual(['state.json']);
  });
});
