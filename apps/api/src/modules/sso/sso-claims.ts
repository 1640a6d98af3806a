import type { TAdminRole } from '@reg/contracts/admins-api';

/** What the sign-in reads of the IdP's answer (ID token, then UserInfo for what it lacks). */
export interface SsoIdentity {
  subject: string;
  email: string | null;
  emailVerified: boolean;
  groups: string[];
}

/** The groups claim: a list of strings, or one string; anything else counts as no groups. */
export function groupsOf(value: unknown): string[] | null {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((group): group is string => typeof group === 'string');
  return null;
}

/**
 * The role the groups give, re-read at every sign-in: full before read-only; null when the
 * mapping is in use and no group matches. With both lists empty the stored role applies
 * (undefined).
 */
export function roleFromGroups(
  groups: string[],
  mapping: { fullAdminGroups: string[]; readOnlyGroups: string[] },
): TAdminRole | null | undefined {
  if (mapping.fullAdminGroups.length === 0 && mapping.readOnlyGroups.length === 0) return undefined;
  if (groups.some((group) => mapping.fullAdminGroups.includes(group))) return 'full';
  if (groups.some((group) => mapping.readOnlyGroups.includes(group))) return 'read-only';
  return null;
}

/** The domain part of an email, lower-cased, or null for something that is not one. */
export function emailDomainOf(email: string): string | null {
  const at = email.lastIndexOf('@');
  if (at < 1 || at === email.length - 1) return null;
  return email.slice(at + 1).toLowerCase();
}

/**
 * A console path to go back to after signing in, kept as the sign-in page keeps its
 * `redirectTo`: a path of this site ("/…", not "//…" nor "/\…", no control characters), not
 * the sign-in page itself and not the API; anything else is the home page.
 */
export function safeConsolePath(target: string | undefined, publicUrl: string): string {
  if (!target || !target.startsWith('/') || target.startsWith('//')) return '/';
  if ([...target].some((char) => char === '\\' || char <= '\u001f' || char === '\u007f')) return '/';
  const origin = new URL(publicUrl).origin;
  let url: URL;
  try {
    url = new URL(target, origin);
  } catch {
    return '/';
  }
  if (url.origin !== origin || url.pathname === '/sign-in' || url.pathname.startsWith('/api/')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}
