import type { FastifyReply } from 'fastify';
import { sessionCookieName } from '../../plugins/console-auth.ts';

/** The session cookie's settings: the routes of every way in take them from app.ts. */
export interface SessionCookieOptions {
  publicUrl: string;
  maxAgeSeconds: number;
}

/**
 * Sets the session cookie for a new session token: every way in (password, second step,
 * invitation, single sign-on) sets it alike. The answer carries the CSRF token or leads to one:
 * no cache may keep it.
 */
export function setSessionCookie(
  reply: FastifyReply,
  token: string,
  { publicUrl, maxAgeSeconds }: SessionCookieOptions,
) {
  reply.header('Cache-Control', 'no-store');
  reply.setCookie(sessionCookieName(publicUrl), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: publicUrl.startsWith('https://'),
    signed: true,
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply, publicUrl: string) {
  reply.clearCookie(sessionCookieName(publicUrl), { path: '/', secure: publicUrl.startsWith('https://') });
}
