import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SLOW, closedPortUrl, newStateDir, runCli, startCli } from './cli.ts';
import { consoleAction, readState, registerThroughConsole, signedInAdmin, useCloud } from './real-api.ts';

const cloud = useCloud();

const spoolFiles = (stateDir: string) => readdirSync(join(stateDir, 'spool')).filter((n) => n.endsWith('.json'));

async function registered() {
  const stateDir = newStateDir();
  const { session, admin } = await signedInAdmin(cloud);
  const { registration } = await registerThroughConsole(cloud, stateDir, session);
  return { stateDir, session, admin, registration };
}

describe('upload, against the real API', { timeout: SLOW }, () => {
  it('sends generated usage in reports of at most 5,000 records, with progress', async () => {
    const { stateDir, admin } = await registered();
    const result = await runCli(['upload', '--sample-days', '300', '--state-dir', stateDir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Uploaded 1/2 reports (5,000 records)');
    expect(result.stdout).toContain('Uploaded 2/2 reports (5,400 records)');
    expect(spoolFiles(stateDir)).toEqual([]);
    expect(await cloud.db.usageRecord.count({ where: { customerId: admin.customerId } })).toBe(5400);
  });

  it('sends a report file (a bare array of records here), filling in what it leaves out', async () => {
    const { stateDir, admin } = await registered();
    const day = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const file = join(stateDir, '..', 'report.json');
    const record = {
      productCode: 'CAD',
      edition: 'Pro',
      licenseModel: 'concurrent',
      installed: 5,
      inUse: 3,
      peakInUse: 4,
    };
    writeFileSync(
      file,
      JSON.stringify([{ periodStart: `${day}T00:00:00Z`, periodEnd: `${day}T12:00:00Z`, ...record }]),
    );
    const result = await runCli(['upload', '--file', file, '--state-dir', stateDir]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(await cloud.db.usageRecord.count({ where: { customerId: admin.customerId } })).toBe(1);
  });

  it('keeps a report while the cloud is down, then delivers it exactly once', async () => {
    const { stateDir, admin } = await registered();
    const down = await runCli([
      'upload',
      '--sample-days',
      '2',
      '--state-dir',
      stateDir,
      '--cloud',
      await closedPortUrl(),
    ]);
    expect(down.code).toBe(5);
    expect(down.stderr).toContain('error: could not reach the cloud');
    expect(down.stderr).toMatch(/^hint: Run "check" to see what is blocked\. 1 report\(s\) are kept in the spool/m);
    const [file] = spoolFiles(stateDir);
    const spooled = readFileSync(join(stateDir, 'spool', file!), 'utf8');
    const { reportId } = JSON.parse(spooled) as { reportId: string };

    const up = await runCli(['upload', '--state-dir', stateDir]);
    expect(up.code).toBe(0);
    expect(up.stdout).toContain('Uploaded 1/1 reports (36 records)');
    expect(spoolFiles(stateDir)).toEqual([]);
    const stored = await cloud.db.usageReport.findMany({ where: { customerId: admin.customerId } });
    expect(stored.map((r) => r.reportId)).toEqual([reportId]);

    // The answer was lost (say): the same report is sent again; the cloud has it, nothing doubles.
    writeFileSync(join(stateDir, 'spool', file!), spooled, { mode: 0o600 });
    const retry = await runCli(['upload', '--state-dir', stateDir]);
    expect(retry.code).toBe(0);
    expect(spoolFiles(stateDir)).toEqual([]);
    expect(await cloud.db.usageReport.count({ where: { customerId: admin.customerId } })).toBe(1);
    expect(await cloud.db.usageRecord.count({ where: { customerId: admin.customerId } })).toBe(36);

    // The same reportId with another body is refused for good: it is moved aside, not retried forever.
    const altered = spooled.replace(/"inUse":(\d+)/, (_, n: string) => `"inUse":${Number(n) + 1}`);
    writeFileSync(join(stateDir, 'spool', file!), altered, { mode: 0o600 });
    const conflict = await runCli(['upload', '--state-dir', stateDir]);
    expect(conflict.code).toBe(11);
    expect(conflict.stderr).toMatch(/^error: the cloud rejected report .+ \(409 report_conflict: /);
    expect(spoolFiles(stateDir)).toEqual([]);
    expect(readdirSync(join(stateDir, 'spool', 'rejected'))).toContain(file);
  });

  it('stops, forgets the credential and keeps the spool once the registration is removed', async () => {
    const { stateDir, session, registration } = await registered();
    expect((await consoleAction(cloud, session, 'DELETE', `/registrations/${registration.id}`)).statusCode).toBe(204);
    const result = await runCli(['upload', '--sample-days', '1', '--state-dir', stateDir]);
    expect(result.code).toBe(6);
    expect(result.stderr).toContain("error: this server's registration was removed in the cloud.\nhint: Run register");
    expect(spoolFiles(stateDir)).toHaveLength(1);
    expect(readState(stateDir).credential).toBeUndefined();
  });
});

describe('run, against the real API', { timeout: SLOW }, () => {
  it('--once flushes the spool, sends a heartbeat and the last day of usage', async () => {
    const { stateDir, session, registration } = await registered();
    await runCli(['upload', '--sample-days', '1', '--state-dir', stateDir, '--cloud', await closedPortUrl()]);
    expect(spoolFiles(stateDir)).toHaveLength(1);
    const result = await runCli(['run', '--once', '--state-dir', stateDir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Uploaded 1 report(s) (18 records)');
    expect(result.stdout).toContain('Heartbeat: registered to');
    expect(spoolFiles(stateDir)).toEqual([]);
    const list = await consoleAction(cloud, session, 'GET', '/registrations');
    const row = (list.json() as { items: { id: string; status: string }[] }).items.find(
      (r) => r.id === registration.id,
    );
    expect(row?.status).toBe('reporting');
  });

  it('keeps going until the registration is removed, then stops', async () => {
    const { stateDir, session, registration } = await registered();
    const cli = startCli(['run', '--interval', '1s', '--state-dir', stateDir]);
    await cli.waitFor(/Uploaded 1 report/);
    await cli.waitFor(/Uploaded 1 report[\s\S]*Uploaded 1 report/);
    expect((await consoleAction(cloud, session, 'DELETE', `/registrations/${registration.id}`)).statusCode).toBe(204);
    const result = await cli.exited;
    expect(result.code).toBe(6);
    expect(result.stderr).toContain("error: this server's registration was removed in the cloud.");
    expect(readState(stateDir).credential).toBeUndefined();
  });

  it('stops cleanly on SIGTERM', async () => {
    const { stateDir } = await registered();
    const cli = startCli(['run', '--state-dir', stateDir]);
    await cli.waitFor(/Heartbeat/);
    cli.child.kill('SIGTERM');
    const result = await cli.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Stopped.');
  });
});
