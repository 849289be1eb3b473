import { describe, expect, it } from '@jest/globals';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import { askWorkflow, refusalCode, refusalToApiError, takeUpdate, tellWorkflow, type WorkflowBounds } from '../../api/workflow-refusals.ts';
import { DomainError, conflictOf } from '../../domain/errors.ts';
import { httpStatusOf } from '../../api/plugins/error-handler.ts';
import { tellSetWorkflow } from '../../api/services/dual-commitments/access.ts';
import type { CommitmentSet } from '../../domain/entities/commitment.ts';

/** A client whose calls run as given, honouring the abort signal the bound sets like the SDK's connection does. */
const signals: AbortSignal[] = [];
const client = { withAbortSignal: (signal: AbortSignal, fn: () => Promise<unknown>) => (signals.push(signal), fn()) } as unknown as Client;
const bounds: WorkflowBounds = { temporal: client, updateTimeoutMs: 300, queryTimeoutMs: 200 };
const refused = (type: string, message: string) => new WorkflowUpdateFailedError('update failed', ApplicationFailure.create({ type, message, nonRetryable: true }));

describe('workflow refusals as API errors', () => {
  it('maps a wrong role to 403, bad input to 400, an unknown target to 404, any state rule to 409', () => {
    expect(refusalToApiError(refused('WrongRole', 'only the evaluator signs'))).toMatchObject({ kind: 'forbidden', code: 'wrong_role', message: 'only the evaluator signs' });
    expect(refusalToApiError(refused('invalid', 'a score is missing'))).toMatchObject({ kind: 'invalid', code: 'invalid' });
    expect(refusalToApiError(refused('Unknown', 'no such objection'))).toMatchObject({ kind: 'not_found', code: 'unknown' });
    expect(refusalToApiError(refused('AlreadyDecided', 'decided on 3-01'))).toMatchObject({ kind: 'conflict', code: 'already_decided' });
    expect(refusalToApiError(refused('already_signed', 'signed'))).toMatchObject({ kind: 'conflict', code: 'already_signed' });
    const statuses = ['WrongRole', 'invalid', 'Unknown', 'AlreadyDecided'].map((type) => httpStatusOf(refusalToApiError(refused(type, 'no'))!));
    expect(statuses).toEqual([403, 400, 404, 409]);
  });

  it('spells both naming styles the same way', () => {
    expect(refusalCode('WrongPhase')).toBe('wrong_phase');
    expect(refusalCode('wrong_phase')).toBe('wrong_phase');
  });

  it('leaves other failures to the fallback, then rethrows them', async () => {
    const boom = new Error('connection lost');
    await expect(tellWorkflow(() => Promise.reject(boom))).rejects.toBe(boom);
    const closed = conflictOf('cycle_closed', 'the cycle is closed');
    await expect(tellWorkflow(() => Promise.reject(boom), async () => closed)).rejects.toBe(closed);
    await expect(tellWorkflow(() => Promise.reject(refused('WrongRole', 'no')), async () => closed)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(tellWorkflow(async () => 42)).resolves.toBe(42);
  });

  const hanging = () => new Promise<never>(() => undefined);
  /** A workflow handle whose update is accepted (or not) and answered (or not) as the test says. */
  const handleWith = (startUpdate: () => Promise<unknown>) => ({ startUpdate }) as unknown as WorkflowHandle;

  it('answers 503 workflow_unavailable with Retry-After when no worker accepts the update within the bound, and cancels the call', async () => {
    const started = Date.now();
    const error = await tellWorkflow(() => takeUpdate(bounds, handleWith(hanging), 'signOff', [{}])).catch((e: unknown) => e);
    const waited = Date.now() - started;
    expect(error).toBeInstanceOf(DomainError);
    expect(httpStatusOf(error as DomainError)).toBe(503);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'workflow_unavailable', retryAfterSeconds: 5, message: expect.stringContaining('nothing was written') });
    expect(waited).toBeGreaterThanOrEqual(290);
    expect(waited).toBeLessThan(1000);
    expect(signals.at(-1)!.aborted).toBe(true);
    await expect(askWorkflow(bounds, hanging)).rejects.toMatchObject({ kind: 'unavailable', code: 'workflow_unavailable' });
  });

  it('gives an accepted action longer to be recorded, then says it was accepted (not to repeat it)', async () => {
    const started = Date.now();
    const accepted = handleWith(async () => ({ result: hanging }));
    const error = await takeUpdate(bounds, accepted, 'signOff', [{}]).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'unavailable', code: 'workflow_unavailable', message: expect.stringContaining('accepted the action') });
    expect(Date.now() - started).toBeGreaterThanOrEqual(6 * 300 - 10);
    const answered = handleWith(async () => ({ result: async () => ({ gate: 'filed' }) }));
    await expect(takeUpdate(bounds, answered, 'signOff', [{}])).resolves.toEqual({ gate: 'filed' });
    const refusing = handleWith(async () => ({ result: () => Promise.reject(refused('AlreadyDecided', 'signed on 3-01')) }));
    await expect(tellWorkflow(() => takeUpdate(bounds, refusing, 'signOff', [{}]))).rejects.toMatchObject({ kind: 'conflict', code: 'already_decided' });
  });

  it('turns a call the SDK gave up on (deadline, cancelled, Temporal unreachable) into 503 at once', async () => {
    const grpc = (code: number) => Object.assign(new Error('grpc'), { name: 'ServiceError', code, details: 'x', metadata: {} });
    for (const code of [1, 4, 14]) {
      await expect(tellWorkflow(() => takeUpdate(bounds, handleWith(() => Promise.reject(grpc(code))), 'signOff', [{}]))).rejects.toMatchObject({ kind: 'unavailable', code: 'workflow_unavailable' });
    }
    // Any other gRPC failure is not "no worker": it goes to the fallback, then is rethrown.
    const notFound = grpc(5);
    await expect(tellWorkflow(() => takeUpdate(bounds, handleWith(() => Promise.reject(notFound)), 'signOff', [{}]))).rejects.toBe(notFound);
  });

  it("answers 503, not 500, when a set's workflow is not there yet and Temporal does not answer the describe in time (a city-wide start)", async () => {
    const busy = { ...client, workflow: { getHandle: () => ({ describe: hanging }) } } as unknown as Client;
    const set = { year: 2027, gate: 'set', workflowId: 'dual-commitment/2027/org-1' } as unknown as CommitmentSet;
    const missing = () => Promise.reject(new WorkflowNotFoundError('workflow not found', set.workflowId, undefined));
    const error = await tellSetWorkflow({ ...bounds, temporal: busy }, set, missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DomainError);
    expect(httpStatusOf(error as DomainError)).toBe(503);
    // When Temporal answers that the workflow does not exist, the caller is told it has not started (409).
    const idle = { ...client, workflow: { getHandle: () => ({ describe: missing }) } } as unknown as Client;
    const notYet = await tellSetWorkflow({ ...bounds, temporal: idle }, set, missing).catch((e: unknown) => e);
    expect(httpStatusOf(notYet as DomainError)).toBe(409);
    expect((notYet as DomainError).message).toContain('not started yet');
  });
});
