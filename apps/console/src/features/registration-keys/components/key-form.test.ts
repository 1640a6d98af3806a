import { describe, expect, it } from 'vitest';
import { splitTags, ZKeyForm, type TKeyFormInput } from './key-form.ts';

const form = (overrides: Partial<TKeyFormInput> = {}): TKeyFormInput => ({
  description: 'Berlin rollout',
  unlimited: false,
  maxUses: '200',
  expiresInDays: '30',
  approval: 'manual',
  tags: '',
  ...overrides,
});

const messages = (input: TKeyFormInput) => {
  const parsed = ZKeyForm.safeParse(input);
  return parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('the Create registration key form', () => {
  it('turns the fields into the API request', () => {
    expect(ZKeyForm.parse(form({ tags: ' berlin,prod  berlin ', approval: 'automatic' }))).toEqual({
      description: 'Berlin rollout',
      maxUses: 200,
      expiresInDays: 30,
      approval: 'automatic',
      tags: ['berlin', 'prod'],
    });
    // Unlimited: the (disabled) number is not read at all.
    expect(ZKeyForm.parse(form({ unlimited: true, maxUses: undefined })).maxUses).toBeNull();
  });

  it('splits tags on commas and spaces, counting a repeat once', () => {
    expect(splitTags('a, b c,,c ')).toEqual(['a', 'b', 'c']);
    expect(splitTags('   ')).toEqual([]);
  });

  it('names the first bad tag, and refuses more than ten', () => {
    expect(messages(form({ tags: 'ok Bad_Tag other' }))).toEqual([
      'tags: “Bad_Tag” is not a valid tag: a tag is 1 to 32 lower-case letters, digits and hyphens, starting with a letter or digit.',
    ]);
    expect(messages(form({ tags: 'a b c d e f g h i j k' }))).toEqual(['tags: A key can have at most 10 tags.']);
  });

  it('refuses uses and days out of range, an empty description and one too long', () => {
    expect(messages(form({ maxUses: '0' }))).toEqual([expect.stringMatching(/^maxUses: Maximum uses must be/)]);
    expect(messages(form({ maxUses: '2.5' }))).toHaveLength(1);
    expect(messages(form({ maxUses: '100001' }))).toHaveLength(1);
    expect(messages(form({ expiresInDays: '366' }))).toEqual([
      'expiresInDays: Expires after (days) must be a whole number from 1 to 365.',
    ]);
    expect(messages(form({ expiresInDays: '' }))).toHaveLength(1);
    expect(messages(form({ description: '   ' }))).toEqual(['description: Description must not be empty.']);
    expect(messages(form({ description: 'x'.repeat(101) }))).toEqual([
      expect.stringMatching(/^description: Description /),
    ]);
  });
});
