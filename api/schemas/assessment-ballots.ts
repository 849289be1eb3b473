// Params, bodies and answers of the ballot routes (issue 19, schemepages): a named voter's ballot
// (党员代表 without a staff role reach only these), the 述职 reports voters read, the department's
// voting progress and its choice of voters, and the candidates a nominator may propose.
import Type from 'typebox';
import { DateTime, Nullable, Uuid } from './common.ts';
import { ROUND_STAGES } from '../../domain/assessment/state.ts';
import { SOURCE_KINDS } from '../../domain/assessment/rules.ts';

const Stage = Type.Enum([...ROUND_STAGES]);
const Source = Type.Enum([...SOURCE_KINDS]);

export const BallotRounds = Type.Object({
  items: Type.Array(Type.Object({
    id: Uuid, schemeName: Type.String(), period: Type.String(), unitName: Type.String(), stage: Stage,
    sources: Type.Array(Type.String()), subjects: Type.Integer(), voted: Type.Integer({ description: 'subjects the caller has voted on' }),
  })),
});

export const Ballot = Type.Object({
  roundId: Uuid, schemeName: Type.String(), period: Type.String(), unitName: Type.String(), stage: Stage,
  canVote: Type.Boolean({ description: 'scoring is open' }),
  indicators: Type.Array(Type.Object({
    key: Type.String(), name: Type.String(), voters: Type.Array(Type.String()),
    options: Type.Array(Type.Object({ label: Type.String(), score: Type.Number() })),
  })),
  hasReports: Type.Boolean({ description: 'the scheme has a 述职 text the assessed file' }),
  subjects: Type.Array(Type.Object({
    id: Uuid, name: Type.String(), unitName: Type.String(),
    sources: Type.Array(Type.String(), { description: 'the voting sources the caller votes as on this subject' }),
    votes: Type.Record(Type.String(), Type.Record(Type.String(), Type.Integer()), { description: 'the caller\'s votes: source → indicator → option' }),
    reportFiled: Type.Boolean(),
  })),
});

export const CastVote = Type.Object({
  source: Source,
  /** indicator key → the chosen option's index */
  choices: Type.Record(Type.String(), Type.Integer()),
}, { additionalProperties: false });
export const VoteCast = Type.Object({ subjectId: Uuid, source: Type.String(), filed: Type.Integer() });

export const Reports = Type.Object({
  subjectId: Uuid, name: Type.String(), filedAt: Nullable(DateTime),
  items: Type.Array(Type.Object({
    key: Type.String(), name: Type.String(), prompts: Type.Array(Type.String()), minLength: Type.Integer(),
    text: Nullable(Type.String()), answers: Type.Array(Type.String()),
  })),
});

export const VoterProgress = Type.Object({
  roundId: Uuid, subjects: Type.Integer(),
  sources: Type.Array(Type.Object({
    source: Type.String(),
    voters: Type.Array(Type.Object({ accountId: Uuid, name: Type.String(), login: Type.String(), voted: Type.Integer() })),
  })),
});

export const CandidateQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 50 })) });
export const VoterCandidates = Type.Object({
  items: Type.Array(Type.Object({ accountId: Uuid, name: Type.String(), login: Type.String(), unitName: Nullable(Type.String()) })),
});

export const NominationCandidates = Type.Object({
  targetKind: Type.String(),
  units: Type.Array(Type.Object({
    id: Uuid, name: Type.String(),
    holders: Type.Array(Type.Object({ accountId: Uuid, name: Type.String() })),
  })),
});
