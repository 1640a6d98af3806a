import type { TRegistrationStatus } from '@reg/contracts/console-api';

/** Status from last contact: never contacted, reporting within the window, then not reporting. */
export function registrationStatus(
  lastContactAt: Date | null,
  now: Date,
  notReportingAfterHours: number,
): TRegistrationStatus {
  if (!lastContactAt) return 'never-contacted';
  return now.getTime() - lastContactAt.getTime() < notReportingAfterHours * 3600_000 ? 'reporting' : 'not-reporting';
}
