import { describe, expect, it } from 'vitest';
import { createSealedBox } from './sealed-box.ts';

describe('sealed box', () => {
  const box = createSealedBox('a root secret of thirty-two characters', 'test');

  it('opens what it sealed, and each seal differs (a fresh IV each time)', () => {
    const a = box.seal('client-secret');
    expect(a).not.toContain('client-secret');
    expect(a).not.toBe(box.seal('client-secret'));
    expect(box.open(a)).toBe('client-secret');
  });

  it('refuses what another key or purpose sealed, and a tampered value', () => {
    const sealed = box.seal('client-secret');
    expect(createSealedBox('another root secret of 32 characters', 'test').open(sealed)).toBeNull();
    expect(createSealedBox('a root secret of thirty-two characters', 'other').open(sealed)).toBeNull();
    const [v, iv, body, tag] = sealed.split('.');
    const flipped = body!.startsWith('A') ? `B${body!.slice(1)}` : `A${body!.slice(1)}`;
    expect(box.open([v, iv, flipped, tag].join('.'))).toBeNull();
    expect(box.open('not sealed')).toBeNull();
  });
});
