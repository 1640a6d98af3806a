import { createPrivateKey, randomUUID, sign } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  offlineRequestSignedText,
  type TOfflineRequestFile,
  type TOfflineResponseFile,
  type TUsageFilesResult,
} from '@reg/contracts/offline-api';
import type { TUsageReport } from '@reg/contracts/usage-api';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptCredential, newOfflineKeys, signedRequestFile } from '../../license-server/src/offline-crypto.ts';
import { useTestApp } from './helpers/app.ts';
import { codeRequest, createSignedInAdmin, registerProduct, type SignedIn } from './helpers/factories.ts';
import { offlineRequestFile, offlineUsageFile, registerByFile, uploadUsageFiles } from './helpers/offline.ts';
import { sendUsage, usageReport } from './helpers/usage.ts';

const t = useTestApp();
let session: SignedIn;
beforeAll(async () => {
  ({ session } = await createSignedInAdmin(t.app, t.db));
});

const requestFile = (instanceId?: string, overrides: Partial<TOfflineRequestFile> = {}) =>
  offlineRequestFile(t.clock.now(), instanceId, overrides);

const post = (url: string, payload: unknown, as: SignedIn = session) =>
  t.client.post(`/api/console${url}`, payload as object, { as: as });

const registerOffline = (as: SignedIn = session, made = requestFile()) => registerByFile(t.client, as, made);

/** The file signed again with its own signing key after a change, so only the change is wrong. */
function resignedWith(keys: ReturnType<typeof newOfflineKeys>, file: TOfflineRequestFile): TOfflineRequestFile {
  const { signature: _s, ...unsigned } = file;
  const signature = sign(
    null,
    Buffer.from(offlineRequestSignedText(unsigned)),
    createPrivateKey(keys.signingPrivateKey),
  );
  return { ...unsigned, signature: signature.toString('base64url') };
}

const usageFile = (reg: { body: TOfflineResponseFile; credential: string }, report: TUsageReport, text?: string) =>
  offlineUsageFile(reg, report.reportId, text ?? JSON.stringify(report));
const uploadFiles = (files: Buffer[], as: SignedIn = session) => uploadUsageFiles(t.client, files, as);
const resultsOf = async (files: Buffer[], as?: SignedIn) => {
  const response = await uploadFiles(files, as);
  expect(response.status, response.body).toBe(200);
  return response.json as TUsageFilesResult;
};

describe('request files', () => {
  it('previews a request file as a code is previewed, with the time it was made', async () => {
    const { file } = requestFile();
    const response = await post('/registrations/offline/preview', file);
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      requestId: file.requestId,
      createdAt: file.createdAt,
      product: 'license-server',
      productVersion: file.productVersion,
      serverName: file.serverName,
      hostname: file.hostname,
      os: file.os,
      instanceId: file.instanceId,
      warnings: [],
    });
    const old = requestFile(randomUUID(), {
      createdAt: new Date(t.clock.now().getTime() - 3 * 24 * 3600_000).toISOString(),
    }).file;
    const later = await post('/registrations/offline/preview', old);
    expect(later.json.warnings).toEqual([
      "This file was made 3 day(s) ago. Register it only if it is the server's latest request.",
    ]);
  });

  it('records who previewed a request file, never its keys or signature', async () => {
    const { file } = requestFile();
    expect((await post('/registrations/offline/preview', file)).status).toBe(200);
    const [event] = await t.db.auditEvent.findMany({
      where: { customerId: session.customer.id, targetId: file.requestId },
    });
    expect(event).toMatchObject({
      action: 'registration.previewed',
      actorType: 'admin',
      targetType: 'offline_request',
      targetLabel: file.serverName,
      details: { via: 'offline-request', hostname: file.hostname, instanceId: file.instanceId },
    });
    const stored = JSON.stringify(event);
    for (const secret of [file.encryptionKey, file.signingKey, file.signature]) expect(stored).not.toContain(secret);
  });

  it('refuses a request file whose encryption key is of low order with 400, before anything is stored', async () => {
    // Points of order 1, 2, 4 and 8 of Curve25519 (and non-canonical encodings of them):
    // the shared secret with any key is all zeros.
    const lowOrder = [
      '0000000000000000000000000000000000000000000000000000000000000000',
      '0100000000000000000000000000000000000000000000000000000000000000',
      'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
      '5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157',
      'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
    ];
    for (const hex of lowOrder) {
      const instanceId = randomUUID();
      const keys = newOfflineKeys(randomUUID(), instanceId);
      const { instanceId: _i, ...fields } = codeRequest();
      const honest = signedRequestFile(keys, { ...fields, createdAt: t.clock.now().toISOString() });
      // Signed over the hostile key, as an attacker holding the signing key would.
      const file = resignedWith(keys, { ...honest, encryptionKey: Buffer.from(hex, 'hex').toString('base64url') });
      for (const url of ['/registrations/offline/preview', '/registrations/offline']) {
        const response = await post(url, file);
        expect([response.status, response.json.error], `${url} ${hex}`).toEqual([400, 'invalid_request']);
      }
      expect(await t.db.registration.count({ where: { instanceId } }), hex).toBe(0);
      expect(await t.db.licenseServer.count({ where: { instanceId } }), hex).toBe(0);
      expect(await t.db.offlineRequest.count({ where: { id: file.requestId } }), hex).toBe(0);
    }
  });

  it('registers like a code: the response file opens only with the request key, and the credential works', async () => {
    const reg = await registerOffline();
    expect(reg.response.headers['content-disposition']).toBe(
      `attachment; filename="registration-${reg.file.serverName}.json"`,
    );
    expect(reg.body).toMatchObject({ format: 'reg-offline-response/1', instanceId: reg.file.instanceId });
    expect(() => decryptCredential(newOfflineKeys(reg.file.requestId, reg.file.instanceId), reg.body)).toThrow();
    const status = await t.client.get('/api/product/v1/registration', {
      headers: { authorization: `Bearer ${reg.credential}` },
    });
    expect(status.status).toBe(200);
    const listed = await t.client.get('/api/console/registrations', { as: session });
    expect(listed.json.items.map((r: { id: string }) => r.id)).toContain(reg.body.registrationId);
    const event = await t.db.auditEvent.findFirstOrThrow({
      where: { action: 'registration.created', targetId: reg.body.registrationId },
    });
    expect(event.details).toMatchObject({ via: 'offline-request', requestId: reg.file.requestId });
  });

  it('replaces the active registration of the same instanceId, as a code does', async () => {
    const first = await registerOffline();
    await registerOffline(session, requestFile(first.file.instanceId));
    const old = await t.db.registration.findUniqueOrThrow({ where: { id: first.body.registrationId } });
    expect(old.removedReason).toBe('replaced');
  });

  it('refuses a changed request file, and a used one (also after its registration was removed)', async () => {
    const made = requestFile();
    const tampered = await post('/registrations/offline/preview', { ...made.file, serverName: 'Somebody else' });
    expect(tampered.status).toBe(422);
    expect(tampered.json.error).toBe('request_file_invalid');

    const reg = await registerOffline(session, made);
    const replay = await post('/registrations/offline', made.file);
    expect(replay.status).toBe(409);
    expect(replay.json.error).toBe('request_already_used');
    const removed = await t.client.delete(`/api/console/registrations/${reg.body.registrationId}`, undefined, {
      as: session,
    });
    expect(removed.status).toBe(204);
    const afterRemoval = await post('/registrations/offline', made.file);
    expect(afterRemoval.status).toBe(409);
    expect((await post('/registrations/offline/preview', made.file)).status).toBe(409);
    expect(await t.db.registration.count({ where: { instanceId: made.file.instanceId, removedAt: null } })).toBe(0);
  });

  it('refuses what a code request refuses, and a file over 16 KiB', async () => {
    const { file } = requestFile(randomUUID(), { productVersion: '10.0' });
    expect((await post('/registrations/offline/preview', file)).json.error).toBe('unsupported_product_version');
    const big = await post('/registrations/offline/preview', { ...file, os: 'x'.repeat(17 * 1024) });
    expect(big.status).toBe(413);
  });

  it('refuses control characters and line breaks in the server and host names, as a code request does', async () => {
    for (const ch of ['\n', '\r', '\u0000', '\u001b', '\u2028']) {
      for (const overrides of [
        { serverName: `LS${ch}Open: http://evil.example/` },
        { hostname: `ls${ch}.example.com` },
      ]) {
        const { file } = requestFile(randomUUID(), overrides);
        const response = await post('/registrations/offline', file);
        expect([response.status, response.json.error], JSON.stringify(overrides)).toEqual([400, 'invalid_request']);
      }
    }
  });
});

describe('usage files', () => {
  it('stores usage files once: the same files again are duplicates, a changed report a conflict', async () => {
    const reg = await registerOffline();
    const reports = [usageReport(t.clock.now(), { days: 3 }), usageReport(t.clock.now(), { days: 2 })];
    const files = reports.map((r) => usageFile(reg, r));
    const first = await resultsOf(files);
    expect(first).toMatchObject({ accepted: 2, duplicate: 0, refused: 0 });
    expect(first.results.map((r) => [r.outcome, r.accepted])).toEqual([
      ['accepted', 3],
      ['accepted', 2],
    ]);
    const again = await resultsOf(files);
    expect(again).toMatchObject({ accepted: 0, duplicate: 2, refused: 0 });
    const changed = { ...reports[0]!, records: [{ ...reports[0]!.records[0]!, inUse: 1 }] };
    t.clock.advance(1_000);
    const conflict = await resultsOf([usageFile(reg, changed)]);
    expect(conflict.results[0]).toMatchObject({ outcome: 'refused', error: 'report_conflict' });
    const registration = await t.db.registration.findUniqueOrThrow({ where: { id: reg.body.registrationId } });
    expect(await t.db.usageRecord.count({ where: { licenseServerId: registration.licenseServerId } })).toBe(5);
    const audit = await t.db.auditEvent.findFirstOrThrow({
      where: { action: 'usage.files_uploaded', customerId: session.customer.id },
      orderBy: { at: 'desc' },
    });
    expect(audit.details).toMatchObject({ files: 1, refused: 1 });
  });

  it("refuses a tampered file, another customer's, a removed registration's and one that is not a usage file", async () => {
    const reg = await registerOffline();
    const report = usageReport(t.clock.now());
    const json = JSON.stringify(report);
    const envelope = JSON.parse(gunzipSync(usageFile(reg, report)).toString()) as { report: string };
    const tampered = gzipSync(JSON.stringify({ ...envelope, report: json.replace('"inUse":312', '"inUse":1') }));
    const { session: other } = await createSignedInAdmin(t.app, t.db);
    const results = await resultsOf([tampered, Buffer.from('not a usage file')]);
    expect(results.results.map((r) => r.error)).toEqual(['file_tampered', 'invalid_file']);
    const foreign = await resultsOf([usageFile(reg, report)], other);
    expect(foreign.results[0]).toMatchObject({ outcome: 'refused', error: 'not_this_customer' });
    await t.client.delete(`/api/console/registrations/${reg.body.registrationId}`, undefined, { as: session });
    const removed = await resultsOf([usageFile(reg, report)]);
    expect(removed.results[0]).toMatchObject({ outcome: 'refused', error: 'registration_removed' });
  });

  it('refuses the files of a server registered with a code, and more than 50 files', async () => {
    const product = await registerProduct(t.app, session, {}, () => t.clock.advance(5_000));
    const report = usageReport(t.clock.now());
    const { instanceId } = await t.db.registration.findUniqueOrThrow({ where: { id: product.registrationId } });
    const byCode = { body: { registrationId: product.registrationId, instanceId }, credential: product.credential };
    const results = await resultsOf([usageFile(byCode as never, report)]);
    expect(results.results[0]).toMatchObject({ error: 'not_registered_offline' });
    expect((await sendUsage(t.client, product, report)).status).toBe(202);
    const tooMany = await uploadFiles(Array.from({ length: 51 }, () => Buffer.from('x')));
    expect(tooMany.status).toBe(413);
  });

  it('takes files only in a session, with its CSRF token', async () => {
    const form = new FormData();
    form.append('files', new Blob(['x']), 'x.json.gz');
    const anonymous = await t.client.post('/api/console/usage-files', form);
    expect(anonymous.status).toBe(401);
    const noCsrf = await t.client.post('/api/console/usage-files', form, { headers: { cookie: session.cookie } });
    expect(noCsrf.status).toBe(403);
    const notMultipart = await t.client.post('/api/console/usage-files', { files: [] }, { as: session });
    expect(notMultipart.status).toBe(415);
  });
});
