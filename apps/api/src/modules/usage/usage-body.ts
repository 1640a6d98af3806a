import { Transform, pipeline, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { LIMITS } from '@reg/contracts/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.ts';
import { MAX_JSON_DEPTH, createDepthScanner } from './json-depth.ts';

const tooLarge = (what: string) =>
  new AppError('payload_too_large', `The upload is larger than ${what}; send fewer records per report.`);

/** Passes bytes through until `max` have gone by, then fails: the body is never buffered whole. */
function byteLimit(max: number, error: () => Error, onCount?: (total: number) => void) {
  let total = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      total += chunk.length;
      onCount?.(total);
      callback(total > max ? error() : null, chunk);
    },
  });
}

/** Fails the body the moment it nests deeper than MAX_JSON_DEPTH (json-depth.ts says why). */
function depthLimit() {
  const tooDeep = createDepthScanner();
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      callback(tooDeep(chunk) ? nestedTooDeep() : null, chunk);
    },
  });
}

const nestedTooDeep = () =>
  new AppError('invalid_request', `The body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels.`);

/**
 * preParsing for usage uploads: at most 2 MiB on the wire and 4 MiB once inflated.
 * A gzip body is inflated as a stream and cut off the moment it passes 4 MiB, so a
 * gzip bomb costs us 4 MiB, not what it would inflate to. Nesting is counted on the way
 * (depthLimit), so JSON.parse never sees a body too deep.
 */
export async function usageBodyStream(request: FastifyRequest, _reply: FastifyReply, payload: Readable) {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > LIMITS.usageWireBytes) throw tooLarge('2 MiB');
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  if (encoding !== 'identity' && encoding !== 'gzip') {
    throw new AppError('unsupported_media_type', 'Send the body plain or with Content-Encoding: gzip.');
  }
  let wireBytes = 0;
  const wire = byteLimit(
    LIMITS.usageWireBytes,
    () => tooLarge('2 MiB'),
    (n) => (wireBytes = n),
  );
  // pipeline hands any stage's error (too large, not gzip) to the last stream, which Fastify reads.
  const body =
    encoding === 'identity'
      ? pipeline(payload, wire, depthLimit(), () => undefined)
      : pipeline(
          payload,
          wire,
          createGunzip(),
          byteLimit(LIMITS.usageInflatedBytes, () => tooLarge('4 MiB once decompressed')),
          depthLimit(),
          () => undefined,
        );
  return withWireLength(body, () => wireBytes);
}

/** Fastify compares Content-Length with receivedEncodedLength when a preParsing hook changes the stream. */
function withWireLength(stream: Transform, wireBytes: () => number) {
  Object.defineProperty(stream, 'receivedEncodedLength', { get: wireBytes });
  return stream;
}
