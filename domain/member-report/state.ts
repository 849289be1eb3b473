// Where a registration (a member's or a unit's 报到) may go: the community confirms or declines
// a pending one, once.
import { conflictOf, type DomainError } from '../errors.ts';
import type { RegistrationStatus } from './contracts.ts';

export function registrationRefusal(status: RegistrationStatus): DomainError | null {
  if (status === 'confirmed') return conflictOf('registration_confirmed', '该报到已确认');
  if (status === 'declined') return conflictOf('registration_declined', '该报到已退回');
  return null;
}

/** Records are filed on a confirmed registration only. */
export function recordRefusal(status: RegistrationStatus): DomainError | null {
  if (status === 'pending') return conflictOf('registration_pending', '报到尚未经社区确认，确认后才能登记服务');
  if (status === 'declined') return conflictOf('registration_declined', '该报到已退回');
  return null;
}
