/**
 * The one exit-code table of both command-line tools (the License Server CLI and the operator
 * CLI), so a script reads a number the same way whichever tool it ran. The numbers are kept from
 * before the two shared a table: scripts depend on them (13 and 14 for upload --file, 3 and 4 for
 * the operator commands). A tool lists in its help only the codes it can answer.
 */
export const EXIT = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  /** What the command acts on is not there: this server is not registered; no such customer or admin. */
  notFound: 3,
  /** It is already so, or a rule forbids it: already registered; a name or email taken; the last full admin. */
  conflict: 4,
  unreachable: 5,
  credentialRejected: 6,
  codeExpired: 7,
  accessDenied: 8,
  refused: 9,
  rateLimited: 10,
  notDelivered: 11,
  checkFailed: 12,
  fileMissing: 13,
  fileInvalid: 14,
  fileRefused: 15,
  pendingApproval: 16,
  duplicateInstance: 17,
  registrationKeyRefused: 18,
  interrupted: 130,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** What each code means, said once; a tool may add what it means for it in particular. */
export const EXIT_MEANING: Record<ExitCode, string> = {
  0: 'success',
  1: 'unexpected error (the message is printed)',
  2: 'wrong command line',
  3: 'not found',
  4: 'conflict: it exists already, or a rule forbids it',
  5: 'the cloud could not be reached (DNS, refused, timeout, TLS, proxy)',
  6: "the cloud no longer accepts this server's credential (registration removed)",
  7: 'the code expired before an admin registered it',
  8: 'an admin denied the registration',
  9: 'the cloud refused to register this server (version too old, usage sharing off)',
  10: 'rate limited by the cloud: wait and try again',
  11: 'some usage reports were not delivered (kept in the spool) or were rejected',
  12: 'check: at least one connectivity item failed',
  13: 'a file given is not there or cannot be read',
  14: 'a file given is not what was expected (the field and what was expected are printed)',
  15: 'a response file was refused (for another server or request, changed, or no request pending)',
  16: "waiting for an admin's approval",
  17: 'this machine is a copy of a registered installation (run register --reset)',
  18: 'the registration key was refused',
  130: 'interrupted (Ctrl+C)',
};
