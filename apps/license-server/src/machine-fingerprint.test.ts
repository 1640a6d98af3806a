import { describe, expect, it } from 'vitest';
import { ZMachineFingerprint } from '@reg/contracts/product-api';
import { machineFingerprint, machineId } from './machine-fingerprint.ts';

describe('The machine fingerprint', () => {
  it('takes LICENSE_SERVER_MACHINE_ID over the system, so containers of one image differ', () => {
    expect(machineId({ LICENSE_SERVER_MACHINE_ID: ' container-7 ' }, 'linux')).toBe('container-7');
    const a = machineFingerprint('container-7', 'ls01');
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(ZMachineFingerprint.safeParse(a).success).toBe(true);
    expect(machineFingerprint('container-8', 'ls01')).not.toBe(a);
    // A renamed host is another machine to the cloud, as the rule wants (the kept one then goes silent).
    expect(machineFingerprint('container-7', 'ls02')).not.toBe(a);
  });

  it('is none without a machine id: no header is sent', () => {
    expect(machineFingerprint(null, 'ls01')).toBeNull();
  });
});
