import { chmodSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ZUsageReport, type TUsageReport } from '@reg/contracts/usage-api';
import { writeFileAtomic } from './state.ts';

/**
 * Reports waiting to be delivered. A report is written here before the first attempt
 * and removed only once the cloud has it, so a crash, an outage or a lost answer never
 * loses data, and a retry resends the same reportId with the same body (the cloud
 * answers a duplicate with 200 and counts it once).
 */
export interface SpooledReport {
  /** The file name: creation time first, so the oldest report is sent first. */
  name: string;
  reportId: string;
  recordCount: number;
  /** The exact JSON that was spooled, resent as is. */
  json: string;
}

let sequence = 0;

export class Spool {
  readonly dir: string;
  readonly rejectedDir: string;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'spool');
    this.rejectedDir = join(this.dir, 'rejected');
  }

  private ensure(dir: string): void {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }

  add(report: TUsageReport): SpooledReport {
    this.ensure(this.dir);
    const valid = ZUsageReport.parse(report);
    const json = JSON.stringify(valid);
    sequence = (sequence + 1) % 1_000_000;
    const name = `${String(Date.now()).padStart(15, '0')}-${String(sequence).padStart(6, '0')}-${valid.reportId}.json`;
    writeFileAtomic(join(this.dir, name), json);
    return { name, reportId: valid.reportId, recordCount: valid.records.length, json };
  }

  /** Spooled reports, oldest first. A file that does not parse is moved aside, not retried forever. */
  list(): SpooledReport[] {
    let names: string[];
    try {
      names = readdirSync(this.dir)
        .filter((n) => n.endsWith('.json'))
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const reports: SpooledReport[] = [];
    for (const name of names) {
      const json = readFileSync(join(this.dir, name), 'utf8');
      const parsed = ZUsageReport.safeParse(safeJson(json));
      if (!parsed.success) {
        this.reject(name, 'the spooled file is not a valid usage report');
        continue;
      }
      reports.push({ name, reportId: parsed.data.reportId, recordCount: parsed.data.records.length, json });
    }
    return reports;
  }

  remove(name: string): void {
    rmSync(join(this.dir, name), { force: true });
  }

  /** Moves a report the cloud will never accept out of the way, with the reason beside it. */
  reject(name: string, reason: string): string {
    this.ensure(this.rejectedDir);
    const target = join(this.rejectedDir, name);
    renameSync(join(this.dir, name), target);
    writeFileSync(`${target}.reason.txt`, `${new Date().toISOString()} ${reason}\n`, { mode: 0o600 });
    return target;
  }

  /**
   * Moves every waiting report, unsent, into `spool/<name>/` (which list() never reads); how many
   * moved and where. For register --reset: a copy's unsent reports are the original's.
   */
  moveAside(name: string): { moved: number; dir: string } {
    const reports = this.list();
    const dir = join(this.dir, name);
    if (reports.length === 0) return { moved: 0, dir };
    this.ensure(dir);
    for (const report of reports) renameSync(join(this.dir, report.name), join(dir, report.name));
    return { moved: reports.length, dir };
  }

  rejected(): string[] {
    try {
      return readdirSync(this.rejectedDir)
        .filter((n) => n.endsWith('.json'))
        .sort();
    } catch {
      return [];
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
