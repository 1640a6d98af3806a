import { EXIT as SHARED } from '@reg/cli-kit/exit-codes';

export type { ExitCode } from '@reg/cli-kit/exit-codes';

/** The shared exit-code table, with the names this tool's commands give some of its codes. */
export const EXIT = {
  ...SHARED,
  notRegistered: SHARED.notFound,
  alreadyRegistered: SHARED.conflict,
  registrationRemoved: SHARED.credentialRejected,
  reportFileMissing: SHARED.fileMissing,
  reportFileInvalid: SHARED.fileInvalid,
  offlineFileRefused: SHARED.fileRefused,
} as const;

/** What each code means for this tool, in its help. */
export const EXIT_CODES_USED = {
  0: '',
  1: "unexpected error (the cloud's message is printed)",
  2: '',
  3: 'this server is not registered',
  4: 'already registered (run deregister first, or register --force)',
  5: '',
  6: '',
  7: '',
  8: '',
  9: '',
  10: '',
  11: '',
  12: '',
  13: 'upload --file: the file is not there or cannot be read',
  14: 'upload --file: the file is not a usage report (the field and what was expected are printed)',
  15: '',
  16: 'register --key: waiting for an admin to approve this server (register, status and run poll again)',
  17: 'another machine uses this registration: on a copy, run register --reset',
  18: 'register --key: the registration key was refused (unknown, expired, used up or revoked)',
  130: '',
} as const;
