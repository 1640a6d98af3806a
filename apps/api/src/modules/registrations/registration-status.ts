import type { TRegistrationStatus } from '@reg/contracts/console-api';

type ContactStatus = Exclude<TRegistrationStatus, 'pending-approval'>;

/** Status from last contact: never contacted, reporting within the window, then not reporting. */
export function contactStatus(lastContactAt: Date | null, now: Date, notReportingAfterHours: number): ContactStatus {
  if (!lastContactAt) return 'never-contacted';
  return now.getTime() - lastContactAt.getTime() < notReportingAfterHours * 3600_000 ? 'reporting' : 'not-reporting';
}

/** A registration's status: pending approval wins (no credential yet, so no contact), then contact. */
export function registrationStatus(
  lastContactAt: Date | null,
  now: Date,
  notReportingAfterHours: number,
  pendingApproval: boolean,
): TRegistrationStatus {
  return pendingApproval ? 'pending-approval' : contactStatus(lastContactAt, now, notReportingAfterHours);
}
