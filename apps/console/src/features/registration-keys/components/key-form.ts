import {
  MAX_KEY_DAYS,
  MAX_KEY_USES,
  MAX_TAGS,
  REGISTRATION_KEY_APPROVALS,
  TAG_PATTERN,
  ZCreateRegistrationKeyRequest,
} from '@reg/contracts/registration-keys-api';
import { z } from 'zod';

/** Tags as typed: separated by commas or spaces; a tag typed twice counts once. */
export const splitTags = (text: string): string[] => [...new Set(text.split(/[\s,]+/).filter(Boolean))];

const USES_TEXT = `Maximum uses must be a whole number from 1 to ${MAX_KEY_USES.toLocaleString('en')}.`;
const DAYS_TEXT = `Expires after (days) must be a whole number from 1 to ${MAX_KEY_DAYS}.`;

/** ZCreateRegistrationKeyRequest's limit, said in words before the request is made. */
const MAX_DESCRIPTION = 100;

const wholeNumber = (text: string | undefined): number | null =>
  text !== undefined && /^\s*\d+\s*$/.test(text) ? Number(text) : null;

/**
 * The dialog's fields, checked and turned into the contracts' create request, so the form
 * refuses what the API would. A disabled input may be left out of the values (uses when
 * unlimited). The first bad tag is named, since a list of ten is hard to scan for it.
 */
export const ZKeyForm = z
  .object({
    description: z.string(),
    unlimited: z.boolean(),
    maxUses: z.string().optional(),
    expiresInDays: z.string(),
    approval: z.enum(REGISTRATION_KEY_APPROVALS),
    tags: z.string(),
  })
  .transform((form, ctx) => {
    let failed = false;
    const context = {
      addIssue: (issue: { code: 'custom'; path: string[]; message: string }) => {
        failed = true;
        ctx.addIssue(issue);
      },
    };
    const tags = splitTags(form.tags);
    const badTag = tags.find((tag) => !TAG_PATTERN.test(tag));
    if (badTag !== undefined)
      context.addIssue({
        code: 'custom',
        path: ['tags'],
        message: `“${badTag}” is not a valid tag: a tag is 1 to 32 lower-case letters, digits and hyphens, starting with a letter or digit.`,
      });
    else if (tags.length > MAX_TAGS)
      context.addIssue({ code: 'custom', path: ['tags'], message: `A key can have at most ${MAX_TAGS} tags.` });
    const maxUses = form.unlimited ? null : wholeNumber(form.maxUses);
    if (!form.unlimited && (maxUses === null || maxUses < 1 || maxUses > MAX_KEY_USES))
      context.addIssue({ code: 'custom', path: ['maxUses'], message: USES_TEXT });
    const days = wholeNumber(form.expiresInDays);
    if (days === null || days < 1 || days > MAX_KEY_DAYS)
      context.addIssue({ code: 'custom', path: ['expiresInDays'], message: DAYS_TEXT });
    const description = form.description.trim();
    if (description === '')
      context.addIssue({ code: 'custom', path: ['description'], message: 'Description must not be empty.' });
    else if (description.length > MAX_DESCRIPTION)
      context.addIssue({
        code: 'custom',
        path: ['description'],
        message: `Description must be at most ${MAX_DESCRIPTION} characters.`,
      });
    const parsed = ZCreateRegistrationKeyRequest.safeParse({
      description,
      maxUses,
      expiresInDays: days,
      approval: form.approval,
      tags,
    });
    if (parsed.success) return parsed.data;
    // What the checks above let through is the description's (over 100 characters, a line break): the contract says why.
    if (!failed)
      for (const issue of parsed.error.issues)
        ctx.addIssue({ code: 'custom', path: ['description'], message: `Description ${issue.message}.` });
    return z.NEVER;
  });

export type TKeyFormInput = z.input<typeof ZKeyForm>;
