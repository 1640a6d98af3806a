import { describe, expect, it } from 'vitest';
import { createGroupCommit } from '../src/modules/codes/group-commit.ts';

/** A write that records each batch and settles only when the test says so. */
function controlledWrite() {
  const batches: number[][] = [];
  const pending: { settle: (error?: Error) => void }[] = [];
  const write = (items: number[]) =>
    new Promise<string[]>((resolve, reject) => {
      batches.push(items);
      pending.push({ settle: (error) => (error ? reject(error) : resolve(items.map((n) => `stored ${n}`))) });
    });
  return { batches, pending, write };
}

/** A few turns of the event loop: enough for settled writes to be noted and the next batch started. */
const settled = async () => {
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
};

describe('group commit', () => {
  it('writes a lone item at once, and what arrives meanwhile as one batch after it', async () => {
    const { batches, pending, write } = controlledWrite();
    const insert = createGroupCommit(write, { maxBatch: 100, maxInFlight: 1 });
    const first = insert(1);
    await settled();
    expect(batches).toEqual([[1]]);
    const rest = [insert(2), insert(3), insert(4)];
    await settled();
    expect(batches).toHaveLength(1); // one batch at a time
    pending[0]!.settle();
    expect(await first).toBe('stored 1');
    await settled();
    expect(batches).toEqual([[1], [2, 3, 4]]);
    pending[1]!.settle();
    expect(await Promise.all(rest)).toEqual(['stored 2', 'stored 3', 'stored 4']);
  });

  it('answers no caller before its batch is written, and fails every caller of a failed batch', async () => {
    const { pending, write } = controlledWrite();
    const insert = createGroupCommit(write, { maxBatch: 100, maxInFlight: 1 });
    let answered = false;
    const results = [insert(1), insert(2)].map((p) => p.then(() => (answered = true)));
    await settled();
    expect(answered).toBe(false);
    pending[0]!.settle(new Error('connection lost'));
    for (const result of results) await expect(result).rejects.toThrow('connection lost');
    // The next item is written in a batch of its own.
    const next = insert(3);
    await settled();
    pending[1]!.settle();
    expect(await next).toBe('stored 3');
  });

  it('keeps batches to maxBatch and runs up to maxInFlight of them at once', async () => {
    const { batches, pending, write } = controlledWrite();
    const insert = createGroupCommit(write, { maxBatch: 2, maxInFlight: 2 });
    const all = [1, 2, 3, 4, 5].map((n) => insert(n));
    await settled();
    expect(batches).toEqual([
      [1, 2],
      [3, 4],
    ]);
    pending[0]!.settle();
    await settled();
    expect(batches).toEqual([[1, 2], [3, 4], [5]]);
    pending[1]!.settle();
    pending[2]!.settle();
    expect(await Promise.all(all)).toHaveLength(5);
  });

  it('fails the callers of a batch that hangs with 503 unavailable, and lets the next batch go', async () => {
    const { batches, pending, write } = controlledWrite();
    const insert = createGroupCommit(write, { maxBatch: 100, maxInFlight: 1, timeoutMs: 20 });
    const hung = [insert(1), insert(2)];
    for (const caller of hung) await expect(caller).rejects.toMatchObject({ code: 'unavailable', retryAfter: 5 });
    // The hung write no longer counts as in flight: the next item is written at once.
    const next = insert(3);
    await settled();
    expect(batches).toEqual([[1, 2], [3]]);
    pending[1]!.settle();
    expect(await next).toBe('stored 3');
    // The hung write finishing late changes nothing for its callers.
    pending[0]!.settle();
    await settled();
  });
});
