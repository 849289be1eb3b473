// How a cycle workflow's refusal reaches the caller. Update validators throw an
// ApplicationFailure whose type names the rule (WrongRole / wrong_role, Invalid, Unknown,
// WrongPhase, AlreadyDecided, ...); the caller gets 403 for a role, 400 for bad input, 404 for
// an unknown target and 409 for everything about the state the cycle is in.
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApiError } from './errors.ts';

/** `WrongPhase` and `wrong_phase` are the same rule: error codes are snake_case. */
export function refusalCode(type: string): string {
  return type.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

const STATUS_OF: Record<string, number> = { wrong_role: 403, invalid: 400, unknown: 404 };

/** The API error for a refused update, or undefined when `error` is not a refusal. */
export function refusalToApiError(error: unknown): ApiError | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = error.cause as { type?: string; message?: string } | undefined;
  const code = refusalCode(cause?.type ?? 'refused');
  return new ApiError(STATUS_OF[code] ?? 409, code, cause?.message ?? 'the cycle refused this action');
}

/**
 * Runs an update against a cycle's workflow; a refusal becomes its API error, and any other
 * failure goes to `otherwise` (e.g. to explain that the workflow has closed) before rethrowing.
 */
export async function tellWorkflow<T>(run: () => Promise<T>, otherwise?: (error: unknown) => Promise<ApiError | undefined>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const refusal = refusalToApiError(error) ?? (await otherwise?.(error));
    throw refusal ?? error;
  }
}
