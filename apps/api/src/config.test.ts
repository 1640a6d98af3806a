import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({})).toMatchObject({
      PORT: 8080,
      HOST: '127.0.0.1',
      PUBLIC_URL: 'http://localhost:8080',
      DATA_DIR: '.data',
      CODE_TTL_SECONDS: 900,
      POLL_INTERVAL_SECONDS: 5,
      MIN_PRODUCT_VERSION: '11.15.0.0',
      NOT_REPORTING_AFTER_HOURS: 48,
      SESSION_IDLE_MINUTES: 30,
      SESSION_MAX_HOURS: 12,
      TRUST_PROXY: false,
    });
  });

  it('names the variable of a bad value', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL/);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
  });

  it('requires the secrets, the database and the public URL in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SESSION_SECRET, CODE_HMAC_SECRET, DATABASE_URL, PUBLIC_URL/,
    );
  });

  it('reads TRUST_PROXY as off, hops or address ranges', () => {
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toEqual(['10.0.0.0/8', '127.0.0.1']);
  });
});
