import { randomUUID } from 'node:crypto';
import type { BenchContext } from './context.ts';

/**
 * Fleet enrollment: servers registering with one registration key all at once (none lost,
 * the key's uses counted exactly), and their requests under a manual key approved in one call.
 * All requests come from one address, as a site behind one NAT address sends them.
 */
export async function fleetEnrollment({ api: { url: api }, operator, quick, figures, notes, log }: BenchContext) {
  const servers = quick ? 50 : 1000;
  const consoleCall = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${api}/api/console${path}`, {
      method,
      headers: { ...operator.headers, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  };
  const createKey = async (approval: 'automatic' | 'manual') => {
    const created = await consoleCall('POST', '/registration-keys', {
      description: `Bench ${approval}`,
      maxUses: servers,
      expiresInDays: 1,
      approval,
      tags: ['bench'],
    });
    if (created.status !== 201) throw new Error(`creating a key: ${created.status} ${JSON.stringify(created.json)}`);
    return created.json as { key: { id: string }; secret: string };
  };
  let retries = 0;
  /**
   * One server's `license-server register --key`, rerun by its install script while the cloud
   * answers 503 (after Retry-After), as a rollout would: a 503 lands nothing, so a rerun can
   * neither lose a server nor spend a second use.
   */
  const enrol = async (secret: string) => {
    const body = JSON.stringify({
      product: 'license-server',
      productVersion: '11.17.2.0',
      instanceId: randomUUID(),
      serverName: `FLEET-${randomUUID().slice(0, 8)}`,
      hostname: `fleet-${randomUUID().slice(0, 8)}.bench.example.com`,
      usageSharing: true,
      registrationKey: secret,
    });
    for (let attempt = 1; ; attempt++) {
      const response = await fetch(`${api}/api/product/v1/registrations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      const answer = { status: response.status, body: (await response.json()) as { registrationId?: string } };
      if (response.status !== 503 || attempt === 5) return answer;
      retries++;
      const wait = Number(response.headers.get('retry-after') ?? 1);
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  };
  const usesOf = async (id: string) => {
    const keys = (await consoleCall('GET', '/registration-keys?limit=200')).json.items as {
      id: string;
      uses: number;
    }[];
    return keys.find((key) => key.id === id)?.uses;
  };

  const automatic = await createKey('automatic');
  let started = performance.now();
  const answers = await Promise.all(Array.from({ length: servers }, () => enrol(automatic.secret)));
  const enrolSeconds = (performance.now() - started) / 1000;
  const registered = answers.filter((a) => a.status === 201).length;
  const uses = await usesOf(automatic.key.id);
  const exact = registered === servers && uses === servers;
  if (!exact) notes.push(`Fleet enrollment: ${registered} of ${servers} registered, the key counted ${uses} uses.`);
  log(
    `  fleet enrollment: ${registered}/${servers} registered in ${enrolSeconds.toFixed(2)} s, uses ${uses}, ${retries} reruns after a 503`,
  );
  figures.push({
    name: `${servers} servers registering with one key at once (POST /api/product/v1/registrations)`,
    ours: `${registered} registered, uses ${uses}, in ${enrolSeconds.toFixed(2)} s (${retries} reruns after a 503)`,
    target: `all ${servers}, counted exactly, under 60 s`,
    met: exact && enrolSeconds < 60,
  });

  const manual = await createKey('manual');
  const pending = await Promise.all(Array.from({ length: servers }, () => enrol(manual.secret)));
  const ids = pending.filter((a) => a.status === 202).map((a) => a.body.registrationId!);
  started = performance.now();
  const approved = await consoleCall('POST', '/registrations/approve', { ids });
  const approveSeconds = (performance.now() - started) / 1000;
  const count = (approved.json.approved as string[] | undefined)?.length ?? 0;
  log(`  approve: ${count}/${ids.length} approved in one call in ${approveSeconds.toFixed(2)} s`);
  figures.push({
    name: `Approving ${servers} pending registrations in one request (POST /registrations/approve)`,
    ours: `${count} of ${ids.length} approved in ${approveSeconds.toFixed(2)} s`,
    target: 'all, under 2 s',
    met: count === servers && approveSeconds < 2,
  });
}
