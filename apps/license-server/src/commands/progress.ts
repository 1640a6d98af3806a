import { sleep, type Output } from '../context.ts';
import { formatDuration } from './cloud-messages.ts';

/**
 * Shows that register is still waiting. On a terminal: one line rewritten every second
 * with the time left. Elsewhere (logs, CI, tests): a dot per poll, so nothing is redrawn.
 */
export function createProgress(io: Output, deadline: number) {
  let dotsOnLine = false;
  const secondsLeft = () => (deadline - Date.now()) / 1000;

  function draw(): void {
    io.write(`\r\x1b[2KWaiting for an admin to register the code… ${formatDuration(secondsLeft())} left`);
  }

  function endLine(): void {
    if (io.isTTY) io.write('\r\x1b[2K');
    else if (dotsOnLine) io.write('\n');
    dotsOnLine = false;
  }

  return {
    async wait(ms: number, signal: AbortSignal): Promise<void> {
      if (!io.isTTY) {
        if (!dotsOnLine) io.write('Waiting for an admin to register the code');
        dotsOnLine = true;
        return sleep(ms, signal);
      }
      const until = Date.now() + ms;
      while (!signal.aborted && Date.now() < until) {
        draw();
        await sleep(Math.min(1000, until - Date.now()), signal);
      }
    },
    tick(): void {
      if (!io.isTTY) io.write('.');
    },
    note(line: string): void {
      endLine();
      io.out(line);
    },
    done(): void {
      endLine();
    },
  };
}
