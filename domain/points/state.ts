// Where an exchange of the 积分兑换超市 may go from where it stands (pure): reserved → confirmed
// at hand-over, or reserved → released (cancelled by the counter, or expired). Confirmed and
// released are final.
import { conflictOf, type DomainError } from '../errors.ts';
import type { ExchangeStatus } from './contracts.ts';

export type ExchangeAction = 'confirm' | 'release' | 'expire';

/** Null when the action is allowed now; else the 409 saying why not. */
export function exchangeRefusal(status: ExchangeStatus, expiresAt: Date, now: Date, action: ExchangeAction): DomainError | null {
  if (status === 'confirmed') return conflictOf('exchange_confirmed', '该兑换已领取，不能再更改');
  if (status === 'released') return conflictOf('exchange_released', '该兑换已取消或过期，库存和积分已退回');
  if (action === 'confirm' && expiresAt.getTime() <= now.getTime()) return conflictOf('exchange_expired', '该兑换已过期，请重新兑换');
  if (action === 'expire' && expiresAt.getTime() > now.getTime()) return conflictOf('exchange_not_expired', 'the exchange has not expired yet');
  return null;
}

/** An entry awaiting the community's decision may be confirmed or rejected once. */
export function entryRefusal(status: 'pending' | 'confirmed' | 'rejected'): DomainError | null {
  if (status === 'confirmed') return conflictOf('entry_confirmed', '该积分已确认');
  if (status === 'rejected') return conflictOf('entry_rejected', '该积分已驳回');
  return null;
}
