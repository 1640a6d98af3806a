import { LIMITS, ZErrorBody } from '@reg/contracts/common';
import { ZIdParams } from '@reg/contracts/console-api';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { notFound } from './errors.ts';
import { isUuid } from './uuid.ts';

/** The statuses a route may answer with the error body `{error, message}`. */
export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429;

/** What a route says about itself: its schema, without the parts every route of its kind shares. */
interface RouteSpec {
  summary: string;
  description?: string;
  body?: z.ZodType;
  querystring?: z.ZodType;
  params?: z.ZodType;
  /** The answers that are not the error body (success, or a body of their own such as slow_down). */
  response?: Record<number, z.ZodType>;
  /** Statuses answered with the error body. */
  errors?: readonly ErrorStatus[];
  /** The body's size limit; the console's usual 16 KiB when absent (the app's default too). */
  bodyLimit?: number;
  /** `/:id` in the path: params `{id}`, and an id that is not a UUID answers 404 like an unknown one. */
  id?: true;
  /** The answer holds a secret, a link or a person's own data: no cache may keep it. */
  noStore?: true;
  /** The answer is a CSV download (text/csv), streamed by sendCsv. */
  csv?: true;
  consumes?: string[];
  security?: Record<string, string[]>[];
}

type ErrorResponses<S extends RouteSpec> = S extends { errors: readonly (infer E extends ErrorStatus)[] }
  ? { [K in E]: typeof ZErrorBody }
  : unknown;

type Responses<S extends RouteSpec> = S extends { response: infer R } ? R & ErrorResponses<S> : ErrorResponses<S>;

type IdParams<S extends RouteSpec> = S extends { id: true } ? { params: typeof ZIdParams } : unknown;

/** The route options Fastify reads; `schema` keeps every zod type so request.body/params/query stay inferred. */
type RouteOptionsOf<S extends RouteSpec, Tag extends string> = {
  bodyLimit: number;
  preHandler?: (request: FastifyRequest, reply: FastifyReply) => Promise<void>;
  schema: Omit<S, 'errors' | 'bodyLimit' | 'id' | 'noStore' | 'csv' | 'response'> & {
    tags: Tag[];
    produces?: string[];
    response?: Responses<S>;
  } & IdParams<S>;
};

/** Runs after validation, as the check in a handler did: a malformed body still answers 400 first. */
function checksFor(spec: RouteSpec) {
  if (!spec.id && !spec.noStore) return undefined;
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (spec.id && !isUuid((request.params as { id: string }).id)) throw notFound();
    if (spec.noStore) reply.header('Cache-Control', 'no-store');
  };
}

/**
 * One way to declare a route: the tag, the error responses from a list of statuses, the body
 * limit and the id parameter are filled in here, so each route file states only what is its own.
 * Hand-written rather than a plugin because Fastify's type provider infers request types from the
 * options object at the call site: a function returning that object keeps the inference.
 */
function declare<const Tag extends string>(tag: Tag) {
  return <const S extends RouteSpec, const X extends object = object>(
    spec: S,
    extra?: X,
  ): RouteOptionsOf<S, Tag> & X => {
    const { errors = [], bodyLimit = LIMITS.consoleBodyBytes, id, noStore: _noStore, csv, response, ...schema } = spec;
    const errorResponses = Object.fromEntries(errors.map((status) => [status, ZErrorBody]));
    const responses = response || errors.length > 0 ? { ...errorResponses, ...response } : undefined;
    const preHandler = checksFor(spec);
    return {
      bodyLimit,
      ...(preHandler && { preHandler }),
      schema: {
        ...schema,
        ...(id && { params: ZIdParams }),
        tags: [tag],
        ...(csv && { produces: ['text/csv'] }),
        ...(responses && { response: responses }),
      },
      ...extra,
    } as RouteOptionsOf<S, Tag> & X;
  };
}

/** A route of the console API (/api/console): tag `console`. */
export const consoleRoute = declare('console');
/** A route of the product API (/api/product/v1): tag `product`. */
export const productRoute = declare('product');
/** The API clients' token route: tag `api clients`. */
export const apiClientsRoute = declare('api clients');
