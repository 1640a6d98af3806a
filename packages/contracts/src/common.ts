import { z } from 'zod';

/** The error body of every non-2xx answer (docs/protocol.md). */
export const ZErrorBody = z.looseObject({
  error: z.string(),
  message: z.string(),
  details: z.unknown().optional(),
});
export type TErrorBody = z.infer<typeof ZErrorBody>;

/** A UTF-16 surrogate without its pair: not a character, and UTF-8 (PostgreSQL) can't hold it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * A text field with a length limit; a NUL and a lone surrogate (JSON's "\ud800") are refused,
 * since PostgreSQL text can't hold them and they would not be stored exactly as sent.
 */
export const text = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !value.includes('\u0000'), 'must not contain a NUL character')
    .refine((value) => !LONE_SURROGATE.test(value), 'must be valid Unicode text (no lone surrogate)');

export const nonEmptyText = (max: number) => text(max).refine((v) => v.trim().length > 0, 'must not be empty');

/**
 * Control characters (C0, DEL, C1) and the line and paragraph separators: a name holding one
 * could start a line of its own in a mail, a log or a CSV row and pass for something it is not.
 */
const CONTROL_OR_LINE_BREAK = /[\p{Cc}\u2028\u2029]/u;

/** A name shown to people (a server's, a host's): one line of printable text. */
export const nameText = (max: number) =>
  nonEmptyText(max).refine((v) => !CONTROL_OR_LINE_BREAK.test(v), 'must not contain control characters or line breaks');

export const ZUuid = z.uuid();
export const ZTimestamp = z.iso.datetime({ offset: true });

/**
 * Whether ZTimestamp `a` is before `b`. Two UTC times of the same length have the same fields
 * at the same places, so they compare as strings; others are parsed. Checked on every record of
 * a report: Date.parse was a quarter of the time zod spent on a 1,000-record upload.
 */
export const isoBefore = (a: string, b: string) =>
  a.length === b.length && a.endsWith('Z') && b.endsWith('Z') ? a < b : Date.parse(a) < Date.parse(b);

export const ZEmail = z.email('must be an email address').max(254, 'must be at most 254 characters');
export const ZPassword = z.string().min(8, 'must be at least 8 characters').max(256, 'must be at most 256 characters');

export const ZCustomerRef = z.object({ id: ZUuid, name: z.string() });
export type TCustomerRef = z.infer<typeof ZCustomerRef>;

export const LIMITS = {
  productBodyBytes: 8 * 1024,
  consoleBodyBytes: 16 * 1024,
  usageWireBytes: 2 * 1024 * 1024,
  usageInflatedBytes: 4 * 1024 * 1024,
} as const;

/** 204 responses: no body. */
export const ZNoContent = z.null().describe('No content');
