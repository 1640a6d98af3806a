import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

/**
 * The machine this License Server runs on, for the cloud's clone detection (docs/protocol.md):
 * a copied installation (a cloned image, a container made from one) carries the original's
 * credential, and the fingerprint tells the cloud it runs elsewhere.
 */

const read = (path: string) => {
  try {
    return readFileSync(path, 'utf8').trim() || null;
  } catch {
    return null;
  }
};
const run = (command: string, args: string[]) => {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5_000 });
  } catch {
    return '';
  }
};

/**
 * `LICENSE_SERVER_MACHINE_ID` when set (containers made from one image share /etc/machine-id:
 * give each its own), else the system's: /etc/machine-id, /var/lib/dbus/machine-id, Windows'
 * MachineGuid, macOS' IOPlatformUUID. Null when there is none.
 */
export function machineId(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform) {
  const configured = env.LICENSE_SERVER_MACHINE_ID?.trim();
  if (configured) return configured;
  if (platform === 'win32') {
    const output = run('reg', ['query', 'HKLM\\SOFTWARE\\Microsoft\\Cryptography', '/v', 'MachineGuid']);
    return output.match(/MachineGuid\s+REG_SZ\s+(\S+)/)?.[1] ?? null;
  }
  if (platform === 'darwin') {
    const output = run('ioreg', ['-rd1', '-c', 'IOPlatformExpertDevice']);
    return output.match(/"IOPlatformUUID"\s*=\s*"([^"]+)"/)?.[1] ?? null;
  }
  return read('/etc/machine-id') ?? read('/var/lib/dbus/machine-id');
}

/** The SHA-256 (hex) of the machine id, a newline and the host name; null without a machine id (no header is sent). */
export function machineFingerprint(id: string | null = machineId(), host: string = hostname()): string | null {
  return id === null ? null : createHash('sha256').update(`${id}\n${host}`).digest('hex');
}
