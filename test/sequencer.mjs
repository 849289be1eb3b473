// The order of the test files: Jest's own (the slowest first, by the durations of earlier runs on this
// machine; failed files first) but, on a machine with no earlier run (CI's clean clone), Jest orders by
// file size, which put 60-90 s browser suites last: one of the two workers then ran them alone at the
// end while the other sat idle. Without recorded durations the browser suites and the few known slow
// ones go first, so the short files fill in around them.
import Sequencer from '@jest/test-sequencer';

const Base = Sequencer.default ?? Sequencer;
const slowFirst = [/\/test\/e2e\//, /\/test\/api\/route-authorization\.test\.ts$/];

export default class SlowFirstSequencer extends Base {
  sort(tests) {
    const sorted = super.sort(tests);
    if (sorted.every((test) => test.duration != null)) return sorted;
    const slow = sorted.filter((test) => slowFirst.some((pattern) => pattern.test(test.path)));
    return [...slow, ...sorted.filter((test) => !slow.includes(test))];
  }
}
