// The devserver's own protobuf codec (devserver/codec.ts) against protobufjs, which it replaced on
// the hot path: the same bytes as encode(fromObject(x)) and the same objects as
// toObject(decode(b), { longs: Number, enums: String }), for the messages the server reads and
// writes most (requests, history events, poll responses) and the awkward cases (negative and
// large int64, proto3 defaults, unknown enum numbers, maps, recursion, nested messages over 127
// bytes). The conformance suite can also run with DEVSERVER_CODEC_CHECK=1, comparing every message.
// And the snapshot JSON (store/codec.ts) against the replacer it replaced.
import { describe, expect, it } from '@jest/globals';
import protobuf from 'protobufjs';
import { decodeMessage, encodeMessage, encodeWithHistory, historyFieldId, lookupType } from '../../devserver/proto.ts';
import { fromJson, toJson } from '../../devserver/store/codec.ts';

const toObjectOptions = { longs: Number, enums: String } as const;
const payload = (text: string) => ({ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(text)) });
const bigPayload = payload('x'.repeat(300));

const cases: Array<[string, object]> = [
  [
    'temporal.api.history.v1.HistoryEvent',
    {
      eventId: 5,
      eventTime: { seconds: 1764470000, nanos: 123000000 },
      eventType: 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED',
      taskId: 1764470000123,
      activityTaskScheduledEventAttributes: {
        activityId: '1',
        activityType: { name: 'touch' },
        taskQueue: { name: 'q', kind: 'TASK_QUEUE_KIND_NORMAL' },
        header: { fields: { trace: payload('t') } },
        input: { payloads: [payload('a'), bigPayload] },
        scheduleToCloseTimeout: { seconds: 0, nanos: 0 },
        startToCloseTimeout: { seconds: 30 },
        workflowTaskCompletedEventId: 4,
        retryPolicy: { initialInterval: { seconds: 1 }, backoffCoefficient: 2, maximumAttempts: 0, nonRetryableErrorTypes: ['A', 'B'] },
      },
    },
  ],
  ['temporal.api.history.v1.HistoryEvent', { eventId: -5, taskId: -1234567890123, eventTime: { seconds: -1 }, eventType: 'EVENT_TYPE_TIMER_FIRED' }],
  ['temporal.api.history.v1.HistoryEvent', { eventId: 2 ** 53 - 1, taskId: 2 ** 40 + 7, eventType: 'NOT_AN_EVENT_TYPE', attempt: 0 }],
  [
    'temporal.api.history.v1.HistoryEvent',
    {
      eventId: 9,
      eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_FAILED',
      workflowExecutionFailedEventAttributes: {
        failure: {
          message: '外层 failure',
          cause: { message: 'inner', cause: { message: 'innermost', applicationFailureInfo: { type: 'T', nonRetryable: true } } },
        },
        retryState: 'RETRY_STATE_NON_RETRYABLE_FAILURE',
      },
    },
  ],
  [
    'temporal.api.workflowservice.v1.StartWorkflowExecutionRequest',
    {
      namespace: 'default',
      workflowId: 'wf-1',
      workflowType: { name: 'activityThenTimer' },
      taskQueue: { name: 'q' },
      input: { payloads: [payload('in')] },
      requestId: 'r-1',
      workflowIdReusePolicy: 'WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE',
      memo: { fields: { a: payload('memo') } },
      searchAttributes: { indexedFields: { CustomKeywordField: payload('red') } },
      priority: { priorityKey: 2 },
      workflowRunTimeout: { seconds: 3600, nanos: 5 },
    },
  ],
  [
    'temporal.api.workflowservice.v1.RespondWorkflowTaskCompletedRequest',
    {
      taskToken: Buffer.from('{"k":"w"}'),
      identity: 'worker@host',
      commands: [
        {
          commandType: 'COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK',
          scheduleActivityTaskCommandAttributes: {
            activityId: '1',
            activityType: { name: 'touch' },
            requestEagerExecution: true,
            input: { payloads: [bigPayload] },
          },
        },
        { commandType: 'COMMAND_TYPE_START_TIMER', startTimerCommandAttributes: { timerId: '2', startToFireTimeout: { seconds: 1 } } },
      ],
      stickyAttributes: { workerTaskQueue: { name: 'sticky-1', kind: 'TASK_QUEUE_KIND_STICKY' }, scheduleToStartTimeout: { seconds: 10 } },
      queryResults: { q1: { resultType: 'QUERY_RESULT_TYPE_ANSWERED', answer: { payloads: [payload('ok')] } } },
      sdkMetadata: { langUsedFlags: [1, 2, 3], coreUsedFlags: [] },
      messages: [
        { id: 'u/accept', protocolInstanceId: 'u', body: { type_url: 'type.googleapis.com/temporal.api.update.v1.Acceptance', value: Buffer.from([1, 2]) } },
      ],
    },
  ],
];

describe('devserver protobuf codec', () => {
  const named = cases.map(([type, value], i) => [`${i} ${type.split('.').pop()}`, type, value] as const);
  it.each(named)('%s: same bytes and objects as protobufjs', (_name, typeName, value) => {
    const type = lookupType(typeName);
    const bytes = encodeMessage(type, value);
    const expected = type.encode(type.fromObject(value)).finish();
    expect(Buffer.from(bytes).equals(Buffer.from(expected))).toBe(true);
    const decoded = decodeMessage(type, expected);
    expect(plain(decoded)).toEqual(plain(type.toObject(type.decode(expected), toObjectOptions)));
  });

  it('skips unknown fields, keeps unknown enum numbers and merges a repeated singular message', () => {
    const type = lookupType('temporal.api.history.v1.HistoryEvent');
    const w = protobuf.Writer.create();
    w.uint32(8).int64(7); // eventId
    w.uint32((999 << 3) | 2).bytes(Buffer.from('future field'));
    w.uint32(24).int32(4242); // eventType: a number no enum value has
    w.uint32(18).fork().uint32(8).int64(10).ldelim(); // eventTime.seconds
    w.uint32(18).fork().uint32(16).int32(20).ldelim(); // eventTime.nanos, merged into the same message
    const bytes = w.finish();
    const decoded = decodeMessage(type, bytes);
    expect(decoded).toEqual({ eventId: 7, eventType: 4242, eventTime: { seconds: 10, nanos: 20 } });
    expect(plain(decoded)).toEqual(plain(type.toObject(type.decode(bytes), toObjectOptions)));
  });

  it('splices cached history events into a poll response as protobufjs would encode it whole', () => {
    const type = lookupType('temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse');
    const events = [cases[0]![1], cases[1]![1], cases[3]![1]];
    const execution = { workflowId: 'w', runId: 'r' };
    const value = { taskToken: Buffer.from('t'), workflowExecution: execution, startedEventId: 3, attempt: 1, history: { events }, messages: [] };
    const bytes = encodeWithHistory(type, historyFieldId(type)!, value);
    expect(plain(decodeMessage(type, bytes))).toEqual(plain(type.toObject(type.decode(type.encode(type.fromObject(value)).finish()), toObjectOptions)));
  });
});

describe('snapshot JSON', () => {
  const withReplacer = (value: unknown) =>
    JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
      const original = this[key];
      return original instanceof Uint8Array ? { $b: Buffer.from(original.buffer, original.byteOffset, original.byteLength).toString('base64') } : v;
    });

  it('writes the same text as the replacer it replaced, and reads the bytes back', () => {
    const shared = Buffer.from('shared');
    const state = {
      runId: 'r',
      n: 1,
      skip: undefined,
      when: new Date(0),
      arr: [1, undefined, Buffer.from([0, 255]), { deep: [new Uint8Array([1, 2, 3])] }],
      memo: { a: payload('x'), b: { data: shared, metadata: { encoding: shared } } },
      untouched: { a: [1, 2, { b: 'c' }] },
    };
    const text = toJson(state);
    expect(text).toBe(withReplacer(state));
    expect(Buffer.isBuffer(state.memo.a.data)).toBe(true); // the state itself is left as it was
    const back = fromJson<typeof state>(text);
    expect(Buffer.from(back.memo.b.data).toString()).toBe('shared');
    expect(Array.from((back.arr[3] as { deep: Uint8Array[] }).deep[0]!)).toEqual([1, 2, 3]);
  });
});

/** Buffers compare by content (protobufjs hands out Buffer slices, the engine Uint8Arrays). */
function plain(value: unknown): unknown {
  if (value instanceof Uint8Array) return Array.from(value);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.keys(value).map((k) => [k, plain((value as Record<string, unknown>)[k])]));
  return value;
}
