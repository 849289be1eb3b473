// Bodies and answers of the sandbox's calendar (`npm run sandbox` only).
import Type from 'typebox';

const Instant = Type.String({ description: 'Asia/Shanghai time with its offset', examples: ['2026-12-01T00:00:00.000+08:00'] });

export const ClockMoveBody = Type.Object({
  advance: Type.Optional(Type.String({ description: 'ISO-8601 duration to move forward, on the Shanghai calendar: P3D, P1M, PT12H', examples: ['P3D'] })),
  to: Type.Optional(Type.String({ description: 'an instant with its offset to move forward to', examples: ['2026-12-01T00:00:00+08:00'] })),
  toNext: Type.Optional(
    Type.Literal('deadline', { description: 'move to the next moment a workflow acts by itself (a gate, deadline, reminder or escalation)' }),
  ),
}, {
  additionalProperties: false,
  description: 'Exactly one of advance, to, toNext',
  examples: [{ advance: 'P3D' }, { to: '2026-12-01T00:00:00+08:00' }, { toNext: 'deadline' }],
});

const NextDeadline = Type.Union([
  Type.Object({ at: Instant, workflowId: Type.String(), workflowType: Type.String() }),
  Type.Null(),
]);

export const ClockView = Type.Object(
  {
    now: Instant,
    /** The Shanghai calendar date of now. */
    date: Type.String({ format: 'date' }),
    simulated: Type.Boolean(),
    nextDeadline: NextDeadline,
  },
  {
    examples: [
      {
        now: '2026-12-01T00:00:00.000+08:00',
        date: '2026-12-01',
        simulated: true,
        nextDeadline: { at: '2026-12-04T00:00:00.000+08:00', workflowId: 'dual-commitment/…/2026', workflowType: 'dualCommitment' },
      },
    ],
  },
);

export const ClockMoved = Type.Object(
  {
    from: Instant,
    to: Instant,
    /** Workflow timers that fell due during the move (each woke its workflow). */
    timersFired: Type.Integer(),
    /** False when the work the move started was still running when the answer was sent. */
    settled: Type.Boolean(),
    now: Instant,
    date: Type.String({ format: 'date' }),
    simulated: Type.Boolean(),
    nextDeadline: NextDeadline,
  },
  {
    examples: [
      {
        from: '2026-11-29T17:00:00.000+08:00',
        to: '2026-12-02T17:00:00.000+08:00',
        timersFired: 2,
        settled: true,
        now: '2026-12-02T17:00:00.012+08:00',
        date: '2026-12-02',
        simulated: true,
        nextDeadline: null,
      },
    ],
  },
);
