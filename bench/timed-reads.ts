import type { RunContext } from './context.ts';
import { fmt, timeRequests } from './fixtures.ts';

/** A console read held to a p95 target, and where there is one, the query it replaced. */
interface TimedRead {
  name: string;
  path: string;
  /** The p95 in milliseconds it must stay under. */
  target: number;
  reference?: {
    run: () => Promise<unknown>;
    /** The reference column's text around its p95 (milliseconds, formatted). */
    describe: (p95: string) => string;
  };
}

/** Where the reads go (a signed-in session's headers), how many of each, and the figures' common name. */
interface ReadsOn {
  api: string;
  headers: Record<string, string>;
  samples: number;
  label: string;
}

/**
 * Each read as sequential requests on one session, after a tenth as many (at least 5) to warm
 * up, then its reference alone (5 runs): a figure each, named `<label>: <read>`.
 */
export async function timeReads(
  { api, headers, samples, label, figures, log }: ReadsOn & Pick<RunContext, 'figures' | 'log'>,
  reads: TimedRead[],
) {
  for (const read of reads) {
    const send = async () => {
      const response = await fetch(api + read.path, { headers });
      await response.arrayBuffer();
      return response.status;
    };
    await timeRequests(Math.max(5, samples / 10), send);
    const t = await timeRequests(samples, send);
    let reference: string | undefined;
    if (read.reference) {
      const run = read.reference.run;
      const raw = await timeRequests(5, async () => (await run(), 200));
      reference = read.reference.describe(fmt(raw.p95, 1));
    }
    log(`  ${read.name}: p95 ${fmt(t.p95, 1)} ms${reference ? `; ${reference}` : ''}`);
    figures.push({
      name: `${label}: ${read.name}`,
      ours: `p95 ${fmt(t.p95, 1)} ms (p50 ${fmt(t.p50, 1)} ms, ${samples} sequential requests)`,
      ...(reference && { reference }),
      target: `p95 < ${read.target} ms`,
      met: t.p95 < read.target,
    });
  }
}
