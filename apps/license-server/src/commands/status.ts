import type { Context } from '../context.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { isRegistered } from '../state.ts';
import { cloudFailure } from './cloud-messages.ts';
import { defineCommand } from '@reg/cli-kit/cli';
import { checkPendingApproval } from './register-key.ts';

/** Confirms the registration with the cloud; the call itself is the heartbeat. */
async function status(ctx: Context): Promise<ExitCode> {
  const { state, io } = ctx;
  const pending = ctx.spool.list().length;
  if (!isRegistered(state) && state.pendingApproval) return checkPendingApproval(ctx);
  if (!isRegistered(state)) {
    io.out(`This server is not registered (instance ${state.instanceId}). Run register to register it.`);
    if (pending > 0) io.out(`${pending} usage report(s) wait in the spool for the next registration.`);
    return EXIT.notRegistered;
  }
  try {
    const registration = await ctx.client.getRegistration(state.credential);
    // The customer may have been renamed in the cloud: keep the local copy current.
    if (registration.customer.name !== state.customer.name) {
      ctx.state = { ...state, customer: registration.customer };
      ctx.store.save(ctx.state);
    }
    io.out(`Registered to ${registration.customer.name} (customer ${registration.customer.id}).`);
    io.out(`Registration:  ${registration.registrationId} (${registration.status})`);
    io.out(`Registered at: ${registration.registeredAt}`);
    io.out(`Last contact:  ${registration.lastContactAt ?? 'never'}`);
    io.out(`Cloud:         ${ctx.cloudUrl}`);
    io.out(`Instance:      ${state.instanceId}`);
    io.out(`Spool:         ${pending} report(s) waiting to be sent`);
    return EXIT.ok;
  } catch (error) {
    throw cloudFailure(ctx, error);
  }
}

export const statusCommand = defineCommand({
  name: 'status',
  summary: 'Confirm the registration with the cloud (a heartbeat) and show it.',
  options: {},
  examples: ['license-server status'],
  run: (_values, ctx: Context) => status(ctx),
});
