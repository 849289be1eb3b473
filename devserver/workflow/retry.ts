// Retry policies as Temporal applies them to activities and workflows: defaults filled in,
// backoff = initialInterval * coefficient^(attempt-1) capped by maximumInterval, and the reasons
// a failure is not retried (non-retryable flag or type, attempts used up, deadline passed).
import { durationMs, toDuration, type ProtoTime } from './time.ts';

export interface RetryPolicyObject {
  initialInterval?: ProtoTime;
  backoffCoefficient?: number;
  maximumInterval?: ProtoTime;
  maximumAttempts?: number;
  nonRetryableErrorTypes?: string[];
}

export interface FailureObject {
  message?: string;
  source?: string;
  stackTrace?: string;
  cause?: FailureObject;
  applicationFailureInfo?: { type?: string; nonRetryable?: boolean; nextRetryDelay?: ProtoTime; details?: unknown };
  timeoutFailureInfo?: { timeoutType?: string; lastHeartbeatDetails?: unknown };
  canceledFailureInfo?: unknown;
  terminatedFailureInfo?: unknown;
  serverFailureInfo?: { nonRetryable?: boolean };
  [other: string]: unknown;
}

export function withActivityDefaults(policy: RetryPolicyObject | undefined): RetryPolicyObject {
  const initial = durationMs(policy?.initialInterval) || 1000;
  return {
    initialInterval: toDuration(initial),
    backoffCoefficient: policy?.backoffCoefficient || 2,
    maximumInterval: toDuration(durationMs(policy?.maximumInterval) || initial * 100),
    maximumAttempts: policy?.maximumAttempts ?? 0,
    nonRetryableErrorTypes: policy?.nonRetryableErrorTypes ?? [],
  };
}

export type RetryDecision = { retry: true; backoffMs: number } | { retry: false; retryState: string };

/**
 * Decides whether attempt `attempt` (1-based, the one that just failed) is followed by another.
 * `deadline` is the epoch ms after which no attempt may start (schedule-to-close / execution timeout).
 */
export function decideRetry(
  policy: RetryPolicyObject | undefined,
  attempt: number,
  failure: FailureObject | undefined,
  now: number,
  deadline: number | undefined,
): RetryDecision {
  if (!policy) return { retry: false, retryState: 'RETRY_STATE_RETRY_POLICY_NOT_SET' };
  const app = failure?.applicationFailureInfo;
  if (app?.nonRetryable || failure?.serverFailureInfo?.nonRetryable) {
    return { retry: false, retryState: 'RETRY_STATE_NON_RETRYABLE_FAILURE' };
  }
  if (app?.type && policy.nonRetryableErrorTypes?.includes(app.type)) {
    return { retry: false, retryState: 'RETRY_STATE_NON_RETRYABLE_FAILURE' };
  }
  // Cancellation and termination are never retried.
  if (failure?.canceledFailureInfo || failure?.terminatedFailureInfo) {
    return { retry: false, retryState: 'RETRY_STATE_NON_RETRYABLE_FAILURE' };
  }
  const max = policy.maximumAttempts ?? 0;
  if (max > 0 && attempt >= max) return { retry: false, retryState: 'RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED' };
  const initial = durationMs(policy.initialInterval) || 1000;
  const coefficient = policy.backoffCoefficient || 2;
  const maxInterval = durationMs(policy.maximumInterval) || initial * 100;
  let backoffMs = Math.min(initial * Math.pow(coefficient, attempt - 1), maxInterval);
  const explicit = durationMs(app?.nextRetryDelay);
  if (explicit > 0) backoffMs = explicit;
  if (deadline !== undefined && deadline > 0 && now + backoffMs >= deadline) {
    return { retry: false, retryState: 'RETRY_STATE_TIMEOUT' };
  }
  return { retry: true, backoffMs };
}
