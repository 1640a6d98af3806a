/**
 * At most `max` tasks at once, the others queued in order. A fleet enrolling at once (a thousand
 * requests in a second) would otherwise ask for a thousand pooled connections and time out
 * waiting for them; queued here they wait without holding one. Hand-written: a dozen lines, no
 * queue library is a dependency of the API.
 */
export function createTurns(max: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (running >= max) await new Promise<void>((go) => waiting.push(go));
    running++;
    try {
      return await task();
    } finally {
      running--;
      waiting.shift()?.();
    }
  };
}
