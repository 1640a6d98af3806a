/**
 * How deep a usage report may nest arrays and objects. A report needs 3 ({ records: [ { } ] }),
 * a usage file's envelope 2; the margin is for whatever a later version adds.
 */
export const MAX_JSON_DEPTH = 16;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_ARRAY = 0x5b;
const OPEN_OBJECT = 0x7b;
const CLOSE_ARRAY = 0x5d;
const CLOSE_OBJECT = 0x7d;

/**
 * Counts the nesting of JSON text as it goes by, chunk after chunk, and says when it passes
 * `max`. Why a scan before JSON.parse: 4,000,000 '[' gzip to a few KB, and JSON.parse of them
 * held the event loop for seconds (every other request waited); this loop is linear, keeps
 * three numbers and stops at the first bracket too deep. It is no parser: it only skips
 * strings (their quotes and escapes) so that brackets inside texts don't count; malformed
 * JSON is JSON.parse's to refuse. Texts are scanned as UTF-8, in which every byte of a
 * multi-byte character is above 0x7f, so it can't be mistaken for a bracket or a quote.
 */
export function createDepthScanner(max = MAX_JSON_DEPTH) {
  const state = { depth: 0, inString: false, escaped: false };
  /** Feeds the next chunk; true once the text has nested deeper than `max`. */
  return (chunk: Uint8Array | string): boolean =>
    typeof chunk === 'string' ? scan(state, max, Buffer.from(chunk)) : scan(state, max, chunk);
}

/** The scan itself, over bytes only: one monomorphic loop (a quarter of the time of one that also reads strings). */
function scan(state: { depth: number; inString: boolean; escaped: boolean }, max: number, bytes: Uint8Array) {
  let { depth, inString, escaped } = state;
  const length = bytes.length;
  for (let i = 0; i < length; i++) {
    const c = bytes[i]!;
    if (inString) {
      if (escaped) escaped = false;
      else if (c === BACKSLASH) escaped = true;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      if (++depth > max) return true;
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) depth--;
  }
  Object.assign(state, { depth, inString, escaped });
  return false;
}

/** Whether a whole JSON text nests deeper than `max`. */
export const nestsTooDeep = (text: Uint8Array | string, max = MAX_JSON_DEPTH) => createDepthScanner(max)(text);
