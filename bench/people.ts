// bench:cycle's simulated people on a thread of their own (named `people`), so their HTTP
// client's work does not count as the API's: the main thread's event-loop use and CPU that the
// bench prints are then the service's alone, as they would be with people on their own phones.
// Each sample enterprise acts on its own as a person would, with a think time of 0.5-1.5 s
// between steps (its own loop, so one slow answer does not hide the others): until its
// submission is taken it saves its draft and submits it (409 while its workflow has not started
// yet: submitted again next time), and it opens its set every time. Every answer counts, the
// 409s too (kept apart), so a slow refusal shows as much as a slow success.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';

export interface PeopleInput {
  base: string;
  year: number;
  people: { token: string; setId: string }[];
  /** Epoch ms of the cycle's POST (submissions are timed from it). */
  t0EpochMs: number;
}

export interface PeopleResult {
  draftMs: number[];
  submitMs: number[];
  refusedMs: number[];
  getMs: number[];
  /** ms after the cycle's POST at which each submission was taken. */
  submittedAfter: number[];
  failures: string[];
}

export const commitmentsOf = (year: number, n: number) => [
  {
    key: 'p1', side: 'party', catalogItemCode: null, title: '形势政策宣讲', content: '每季度组织职工宣讲',
    target: `全年宣讲4次（样本${n}）`, indicator: '宣讲≥4次', deadline: `${year}-06-30`, responsiblePerson: { name: '王建国' },
  },
  {
    key: 'e1', side: 'enterprise', catalogItemCode: null, title: '提供党建活动场所', content: '提供固定活动室', target: '活动室挂牌使用',
    indicator: '面积≥30平方米', deadline: `${year}-09-30`, responsiblePerson: { name: '李总' },
  },
];

/** Starts the people; `stop()` ends their loops and gives every answer's time. */
export function startPeople(input: PeopleInput): { stop(): Promise<PeopleResult> } {
  const worker = new Worker(new URL(import.meta.url), { name: 'people', workerData: input });
  const result = new Promise<PeopleResult>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    async stop() {
      worker.postMessage('stop');
      const answers = await result;
      await worker.terminate();
      return answers;
    },
  };
}

async function act(input: PeopleInput): Promise<void> {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const result: PeopleResult = { draftMs: [], submitMs: [], refusedMs: [], getMs: [], submittedAfter: [], failures: [] };
  let stop = false;
  parentPort!.on('message', (message) => {
    if (message === 'stop') stop = true;
  });
  const timed = async (method: string, url: string, token: string, body?: unknown) => {
    const t = performance.now();
    const response = await fetch(`${input.base}${url}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, text, ms: performance.now() - t };
  };
  const person = async ({ token, setId }: PeopleInput['people'][number]) => {
    await sleep(Math.random() * 1000);
    for (let round = 0, submitted = false; !stop; round++) {
      if (!submitted) {
        const draft = await timed('PUT', `/dual-commitments/sets/${setId}/draft`, token, { commitments: commitmentsOf(input.year, round) });
        result.draftMs.push(draft.ms);
        if (draft.status !== 200) result.failures.push(`draft ${draft.status} ${draft.text.slice(0, 200)}`);
        const submit = await timed('POST', `/dual-commitments/sets/${setId}/submit`, token);
        if (submit.status === 200) {
          result.submitMs.push(submit.ms);
          result.submittedAfter.push(performance.timeOrigin + performance.now() - input.t0EpochMs);
          submitted = true;
        } else if (submit.status === 409) result.refusedMs.push(submit.ms);
        else result.failures.push(`submit ${submit.status} ${submit.text.slice(0, 200)}`);
      }
      const view = await timed('GET', `/dual-commitments/sets/${setId}`, token);
      result.getMs.push(view.ms);
      if (view.status !== 200) result.failures.push(`get ${view.status} ${view.text.slice(0, 200)}`);
      await sleep(500 + Math.random() * 1000);
    }
  };
  await Promise.all(input.people.map(person));
  parentPort!.postMessage(result);
}

if (!isMainThread && workerData && (workerData as PeopleInput).people) await act(workerData as PeopleInput);
