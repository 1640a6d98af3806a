import { AsyncResource } from 'node:async_hooks';
import { runWithDeadline, type Deadline } from '@reg/db/deadline';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { sendError } from './error-handler.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: work that failed on the connection is not retried (a readiness probe answers at once). */
    databaseRetries?: boolean;
    /** This route's deadline, when its work may take longer than REQUEST_TIMEOUT_MS (Delete data). */
    requestTimeoutMs?: number;
  }
}

/** How soon a deadline that found a COMMIT landing looks again. */
const LANDING_RECHECK_MS = 50;

export const DEADLINE_MESSAGE = 'The request could not be completed in time; try again shortly.';

interface State {
  deadline: Deadline;
  /** The request's async context, for the hooks that run outside it (after the body was read). */
  scope: AsyncResource;
  timer?: NodeJS.Timeout;
  pausedAt?: number;
}

/**
 * Every request is answered within REQUEST_TIMEOUT_MS: past it, a request still at work is
 * answered 503 `unavailable` with Retry-After, whatever the database does (a lock held, a frozen
 * server, a pool whose connections are all busy). Without it the worst answer was the sum of
 * every wait on the way (a connection, its retry, a statement timeout), 10.3 s in a failover
 * drill on a loaded machine. The deadline also travels with the request's work (@reg/db's
 * deadline.ts), so a retry starts only while it can still be answered, and no work starts
 * after the 503 went out. Time spent receiving the body is the client's and does not count.
 * Once the answer has started, the deadline is lifted: a streamed export may go on.
 * Hand-written: Fastify's own timeouts (connectionTimeout, requestTimeout) close the socket
 * without an answer, and none carries a deadline to the database layer.
 */
async function requestDeadline(app: FastifyInstance, { timeoutMs }: { timeoutMs: number }) {
  const states = new WeakMap<FastifyRequest, State>();

  const arm = (state: State, request: FastifyRequest, reply: FastifyReply) => {
    clearTimeout(state.timer);
    state.timer = setTimeout(
      () => {
        if (reply.sent || reply.raw.headersSent) return;
        // This request's last statement was a COMMIT: its answer is on the way and must tell the
        // truth (a 503 would have the client do it again). A COMMIT ends within the statement
        // timeout; then the answer goes out, or the next statement lets the deadline answer.
        if (state.deadline.landing) {
          state.deadline.at = Date.now() + LANDING_RECHECK_MS;
          return arm(state, request, reply);
        }
        state.deadline.expired = true;
        request.log.warn('request deadline passed');
        void sendError(reply, 'unavailable', DEADLINE_MESSAGE, {}, 5);
      },
      Math.max(0, state.deadline.at - Date.now()),
    );
    state.timer.unref();
  };

  app.addHook('onRequest', (request, reply, done) => {
    const deadline: Deadline = {
      at: Date.now() + (request.routeOptions.config?.requestTimeoutMs ?? timeoutMs),
      expired: false,
      retries: request.routeOptions.config?.databaseRetries !== false,
    };
    runWithDeadline(deadline, () => {
      const state: State = { deadline, scope: new AsyncResource('request-deadline') };
      states.set(request, state);
      arm(state, request, reply);
      done();
    });
  });

  // The body arrives between these two hooks: its time is taken off the clock.
  app.addHook('preParsing', (request, _reply, payload, done) => {
    const state = states.get(request);
    if (state) {
      clearTimeout(state.timer);
      state.pausedAt = Date.now();
    }
    done(null, payload);
  });

  app.addHook('preValidation', (request, reply, done) => {
    const state = states.get(request);
    if (!state) return done();
    if (state.pausedAt !== undefined) state.deadline.at += Date.now() - state.pausedAt;
    state.pausedAt = undefined;
    arm(state, request, reply);
    // After a body was read, Fastify goes on from the request stream's 'end' event, outside the
    // context the deadline was entered in (as @fastify/request-context notes): back into it.
    state.scope.runInAsyncScope(done, request.raw);
  });

  app.addHook('onSend', (request, _reply, payload, done) => {
    const state = states.get(request);
    if (state) {
      clearTimeout(state.timer);
      if (!state.deadline.expired) state.deadline.at = Infinity;
    }
    done(null, payload);
  });

  const settle = (request: FastifyRequest, expired: boolean) => {
    const state = states.get(request);
    if (!state) return;
    clearTimeout(state.timer);
    if (expired) state.deadline.expired = true;
    states.delete(request);
  };
  app.addHook('onResponse', (request, _reply, done) => {
    settle(request, false);
    done();
  });
  // The client went away: nothing is worth retrying for it.
  app.addHook('onRequestAbort', (request, done) => {
    settle(request, true);
    done();
  });
}

export default fp(requestDeadline, { name: 'request-deadline', dependencies: ['error-handler'] });
