import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets the service must use again later (an identity provider's client secret), sealed with
 * AES-256-GCM before they are stored: a copy of the database alone does not give them away.
 * The key is derived (HKDF-SHA256) from the session secret, which production takes from the
 * environment and never stores beside the data; `purpose` keeps keys for different uses apart.
 * Rotating SESSION_SECRET makes sealed values unreadable: they must be entered again (the
 * single sign-on settings say so, docs/security.md).
 */
export function createSealedBox(rootSecret: string, purpose: string) {
  const key = Buffer.from(hkdfSync('sha256', rootSecret, Buffer.alloc(0), `sealed-box/v1/${purpose}`, 32));

  function seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `v1.${iv.toString('base64url')}.${body.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}`;
  }

  /** The plain value, or null when it was sealed under another key (or tampered with). */
  function open(sealed: string): string | null {
    const [version, iv, body, tag] = sealed.split('.');
    if (version !== 'v1' || !iv || body === undefined || !tag) return null;
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return null;
    }
  }

  return { seal, open };
}

export type SealedBox = ReturnType<typeof createSealedBox>;
