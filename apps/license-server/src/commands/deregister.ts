import { CloudError } from '../cloud-client.ts';
import type { Context } from '../context.ts';
import { EXIT, type ExitCode } from '../exit-codes.ts';
import { isRegistered } from '../state.ts';
import { CliError, defineCommand } from '@reg/cli-kit/cli';
import { duplicateInstance, isDuplicateInstance } from './cloud-messages.ts';

const CONSOLE_HINT =
  'Remove the registration in the console too (Product Registrations > Actions > Remove registration).';

/**
 * Removes this server's registration. The credential is forgotten whatever the cloud
 * says: an admin who asked to deregister must not find the server still reporting.
 */
async function deregister(ctx: Context): Promise<ExitCode> {
  const { state, io } = ctx;
  if (!isRegistered(state)) {
    io.out('This server is not registered; there is nothing to remove.');
    return EXIT.notRegistered;
  }
  let failure: CloudError | undefined;
  try {
    await ctx.client.deleteRegistration(state.credential);
  } catch (error) {
    if (!(error instanceof CloudError)) throw error;
    // A copy removes nothing (the registration is the original's): the state is left as it is.
    if (isDuplicateInstance(error)) throw duplicateInstance();
    failure = error;
  }
  ctx.state = ctx.store.forgetRegistration();

  if (!failure) {
    io.out(`The registration with ${state.customer.name} was removed. The credential was removed from this server.`);
    return EXIT.ok;
  }
  if (failure.kind === 'network') {
    throw new CliError(
      `could not reach the cloud: ${failure.message}. The credential was removed from this server.`,
      EXIT.unreachable,
      CONSOLE_HINT,
    );
  }
  if (failure.status === 401 && failure.error === 'registration_removed') {
    io.out('The registration had already been removed in the cloud. The credential was removed from this server.');
    return EXIT.ok;
  }
  throw new CliError(
    `the cloud refused to remove the registration (${failure.status ?? '?'} ${failure.error}: ${failure.message}). ` +
      'The credential was removed from this server.',
    failure.status === 401 ? EXIT.registrationRemoved : EXIT.unexpected,
    CONSOLE_HINT,
  );
}

export const deregisterCommand = defineCommand({
  name: 'deregister',
  summary: "Remove this server's registration, in the cloud and here.",
  options: {},
  examples: ['license-server deregister'],
  run: (_values, ctx: Context) => deregister(ctx),
});
