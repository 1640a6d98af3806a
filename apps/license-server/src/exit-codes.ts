/** Distinct exit codes, so scripts and service managers can tell failures apart. */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  notRegistered: 3,
  alreadyRegistered: 4,
  unreachable: 5,
  registrationRemoved: 6,
  codeExpired: 7,
  accessDenied: 8,
  refused: 9,
  rateLimited: 10,
  notDelivered: 11,
  checkFailed: 12,
  reportFileMissing: 13,
  reportFileInvalid: 14,
  offlineFileRefused: 15,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_HELP = `Exit codes:
  0    success
  1    unexpected error (the cloud's message is printed)
  2    wrong command line
  3    this server is not registered
  4    already registered (run deregister first, or register --force)
  5    the cloud could not be reached (DNS, refused, timeout, TLS, proxy)
  6    the cloud no longer accepts this server's credential (registration removed)
  7    the code expired before an admin registered it
  8    an admin denied the registration
  9    the cloud refused to register this server (version too old, usage sharing off)
  10   rate limited by the cloud: wait and try again
  11   some usage reports were not delivered (kept in the spool) or were rejected
  12   check: at least one connectivity item failed
  13   upload --file: the file is not there or cannot be read
  14   upload --file: the file is not a usage report (the field and what was expected are printed)
  15   a response file was refused (for another server or request, changed, or no request pending)
  130  interrupted (Ctrl+C)`;
