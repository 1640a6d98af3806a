import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createDepthScanner, nestsTooDeep } from './json-depth.ts';

/** The nesting of a parsed JSON value: arrays and objects count one level each. */
const depthOf = (value: unknown): number =>
  value !== null && typeof value === 'object'
    ? 1 + Math.max(0, ...Object.values(value as Record<string, unknown>).map(depthOf))
    : 0;

describe('the JSON depth scan', () => {
  it('says "too deep" exactly when the parsed value nests deeper than the limit, brackets in texts aside', () => {
    const texts = fc.string({ unit: fc.constantFrom('[', ']', '{', '}', '"', '\\', 'a', 'é') });
    const value = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, texts, fc.integer(), tie('array'), tie('object')),
      array: fc.array(tie('node'), { maxLength: 3 }),
      object: fc.dictionary(texts, tie('node'), { maxKeys: 3 }),
    })).node;
    fc.assert(
      fc.property(value, fc.integer({ min: 0, max: 6 }), (json, max) => {
        const text = JSON.stringify(json);
        expect(nestsTooDeep(text, max)).toBe(depthOf(json) > max);
        expect(nestsTooDeep(Buffer.from(text), max)).toBe(depthOf(json) > max);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps its place across chunks, even inside a text or an escape', () => {
    const text = Buffer.from(`{"a":"\\"[[[[","b":[[[1]]]}`);
    for (let cut = 0; cut <= text.length; cut++) {
      const tooDeep = createDepthScanner(3);
      expect([tooDeep(text.subarray(0, cut)), tooDeep(text.subarray(cut))].some(Boolean), `cut at ${cut}`).toBe(true);
      const shallow = createDepthScanner(4);
      expect([shallow(text.subarray(0, cut)), shallow(text.subarray(cut))].some(Boolean)).toBe(false);
    }
  });

  it('stops at the first bracket too deep of millions', () => {
    expect(nestsTooDeep('['.repeat(4_000_000))).toBe(true);
  });
});
