import { describe, expect, it } from '@jest/globals';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { refusalCode, refusalToApiError, tellWorkflow } from '../../api/workflow-refusals.ts';
import { ApiError } from '../../api/errors.ts';

const refused = (type: string, message: string) => new WorkflowUpdateFailedError('update failed', ApplicationFailure.create({ type, message, nonRetryable: true }));

describe('workflow refusals as API errors', () => {
  it('maps a wrong role to 403, bad input to 400, an unknown target to 404, any state rule to 409', () => {
    expect(refusalToApiError(refused('WrongRole', 'only the evaluator signs'))).toMatchObject({ statusCode: 403, code: 'wrong_role', message: 'only the evaluator signs' });
    expect(refusalToApiError(refused('invalid', 'a score is missing'))).toMatchObject({ statusCode: 400, code: 'invalid' });
    expect(refusalToApiError(refused('Unknown', 'no such objection'))).toMatchObject({ statusCode: 404, code: 'unknown' });
    expect(refusalToApiError(refused('AlreadyDecided', 'decided on 3-01'))).toMatchObject({ statusCode: 409, code: 'already_decided' });
    expect(refusalToApiError(refused('already_signed', 'signed'))).toMatchObject({ statusCode: 409, code: 'already_signed' });
  });

  it('spells both naming styles the same way', () => {
    expect(refusalCode('WrongPhase')).toBe('wrong_phase');
    expect(refusalCode('wrong_phase')).toBe('wrong_phase');
  });

  it('leaves other failures to the fallback, then rethrows them', async () => {
    const boom = new Error('connection lost');
    await expect(tellWorkflow(() => Promise.reject(boom))).rejects.toBe(boom);
    const closed = new ApiError(409, 'cycle_closed', 'the cycle is closed');
    await expect(tellWorkflow(() => Promise.reject(boom), async () => closed)).rejects.toBe(closed);
    await expect(tellWorkflow(() => Promise.reject(refused('WrongRole', 'no')), async () => closed)).rejects.toMatchObject({ statusCode: 403 });
    await expect(tellWorkflow(async () => 42)).resolves.toBe(42);
  });
});
