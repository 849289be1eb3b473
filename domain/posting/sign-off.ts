// Who may sign what, and when a sign-off is refused. Used by the workflows' update validators
// and by the API to answer before asking the workflow.
import type { Role } from '../auth/roles.ts';

export interface Actor {
  accountId: string;
  name: string;
  roles: readonly Role[];
}

/** 期满联合考核: the county organization department, the street committee, the dispatching unit. */
export const FINAL_SIGNERS = ['org_department', 'street_committee', 'dispatching_unit'] as const;
export type FinalSigner = (typeof FINAL_SIGNERS)[number];

export const FINAL_DECISIONS = ['agree', 'disagree'] as const;
export type FinalDecision = (typeof FINAL_DECISIONS)[number];

export interface FinalSignature {
  as: FinalSigner;
  accountId: string;
  name: string;
  decision: FinalDecision;
  comment: string;
  signedAt: number;
}

export class SignOffRefused extends Error {
  readonly code: 'wrong_role' | 'already_signed' | 'not_open' | 'invalid';
  constructor(code: SignOffRefused['code'], message: string) {
    super(message);
    this.name = 'SignOffRefused';
    this.code = code;
  }
}

/** Throws SignOffRefused when this signature cannot be taken. */
export function checkFinalSignature(
  signatures: readonly FinalSignature[],
  request: { actor: Actor; as: FinalSigner; decision: string; comment: string },
): void {
  if (!(FINAL_SIGNERS as readonly string[]).includes(request.as)) {
    throw new SignOffRefused('wrong_role', `${request.as} is not a signer of the joint assessment (${FINAL_SIGNERS.join(', ')})`);
  }
  if (!request.actor.roles.includes(request.as)) {
    throw new SignOffRefused('wrong_role', `${request.actor.name} does not hold the role ${request.as}`);
  }
  if (!(FINAL_DECISIONS as readonly string[]).includes(request.decision)) {
    throw new SignOffRefused('invalid', `decision must be one of ${FINAL_DECISIONS.join(', ')}`);
  }
  if (request.comment.trim().length === 0) throw new SignOffRefused('invalid', 'a comment is required');
  const earlier = signatures.find((s) => s.as === request.as);
  if (earlier) throw new SignOffRefused('already_signed', `${request.as} has already signed (by ${earlier.name})`);
}

export const missingFinalSigners = (signatures: readonly FinalSignature[]): FinalSigner[] =>
  FINAL_SIGNERS.filter((r) => !signatures.some((s) => s.as === r));

/** The joint result: passed only when every signer agreed. */
export function finalOutcome(signatures: readonly FinalSignature[]): 'pending' | 'passed' | 'not_passed' {
  if (missingFinalSigners(signatures).length > 0) return 'pending';
  return signatures.every((s) => s.decision === 'agree') ? 'passed' : 'not_passed';
}

export function requireRole(actor: Actor, role: Role, what: string): void {
  if (!actor.roles.includes(role)) throw new SignOffRefused('wrong_role', `${what} needs the role ${role}; ${actor.name} has ${actor.roles.join(', ') || 'none'}`);
}
