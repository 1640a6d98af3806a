import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

/** Everything production requires, so a test changes only what it is about. */
const production = {
  NODE_ENV: 'production',
  SESSION_SECRET: 's'.repeat(32),
  CODE_HMAC_SECRET: 'c'.repeat(32),
  DATABASE_URL: 'postgresql://db/app',
  PUBLIC_URL: 'https://console.example.com',
};

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

  it('quotes the value it refused, so "PORT=abc" is recognisable, but never a secret', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow('PORT: expected a whole number, received "abc"');
    expect(() => loadConfig({ PORT: '70000' })).toThrow('PORT: must be at most 65535, received "70000"');
    expect(() => loadConfig({ CODE_TTL_SECONDS: '5' })).toThrow('CODE_TTL_SECONDS: must be at least 60, received "5"');
    const secret = () => loadConfig({ SESSION_SECRET: 'hunter2-short', DATABASE_URL: 'mysql://u:pw@db' });
    expect(secret).toThrow(/SESSION_SECRET: must be at least 32 characters/);
    expect(secret).toThrow(/DATABASE_URL/);
    expect(secret).not.toThrow(/hunter2|pw@db/);
  });

  it('logs requests only in production by default: in development they would bury the sign-in box', () => {
    expect(loadConfig({}).LOG_LEVEL).toBe('warn');
    expect(loadConfig(production).LOG_LEVEL).toBe('info');
    expect(loadConfig({ LOG_LEVEL: 'info' }).LOG_LEVEL).toBe('info');
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

  it('has the notification settings: private receivers refused in every deployment unless set, SMTP_URL=log only in development', () => {
    expect(loadConfig({})).toMatchObject({
      NOTIFY_SWEEP_SECONDS: 60,
      WEBHOOK_TIMEOUT_MS: 10_000,
      WEBHOOK_ALLOW_PRIVATE: false,
    });
    expect(loadConfig({ NODE_ENV: 'development' }).WEBHOOK_ALLOW_PRIVATE).toBe(false);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true' }).WEBHOOK_ALLOW_PRIVATE).toBe(true);
    expect(loadConfig({}).SMTP_URL).toBeUndefined();
    expect(loadConfig(production).WEBHOOK_ALLOW_PRIVATE).toBe(false);
    expect(loadConfig({ ...production, WEBHOOK_ALLOW_PRIVATE: 'true' }).WEBHOOK_ALLOW_PRIVATE).toBe(true);
    expect(loadConfig({ SMTP_URL: 'log' }).SMTP_URL).toBe('log');
    expect(() => loadConfig({ ...production, SMTP_URL: 'log' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL/);
  });
});
