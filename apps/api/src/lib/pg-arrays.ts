/**
 * PostgreSQL array literals ('{a,b}') built by hand for the upload's columns, sent as text and
 * cast in SQL ($1::text[]). node-postgres builds them too, element by element with a type check
 * each; for 8 columns of 1,000 values that cost more API time than the rest of the upload.
 */

const ESCAPED = /["\\]/;

/**
 * One text element, quoted: any text (commas, braces, spaces, line breaks, "NULL") stays
 * itself; inside the quotes only " and \ are escaped (tested first: a fifth of the time of an
 * unconditional replace).
 */
export const quotedElement = (value: string) => `"${ESCAPED.test(value) ? value.replace(/["\\]/g, '\\$&') : value}"`;

export const textArray = (values: readonly string[]) => `{${values.map(quotedElement).join(',')}}`;

/**
 * Elements that need no quoting: numbers, booleans, dates, ISO 8601 times, and values of a
 * fixed set of words (an enum) without commas, braces, quotes, backslashes or spaces.
 */
export const plainArray = (values: readonly (string | number | boolean)[]) => `{${values.join(',')}}`;
