// One clock (issue 14): activities, the API and domain code read "now" from the service's clock
// (domain/clock.ts), which the sandbox moves; workflows read workflow time. A Date.now() or a bare
// new Date() there, or SQL's now() where the cycle's time is meant, would stamp records, PDFs and
// comparisons with the host's time instead of the simulated day.
import { describe, expect, it } from '@jest/globals';
import { read, sourceFiles } from './source-files.ts';

/** The one place allowed to read the host's clock. */
const CLOCK = 'domain/clock.ts';

// Comments may name what they avoid.
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

describe('the service clock', () => {
  it('is the only reader of the host clock in activities/, api/ and domain/', () => {
    const found: string[] = [];
    for (const file of sourceFiles('activities', 'api', 'domain')) {
      if (file === CLOCK) continue;
      code(read(file)).split('\n').forEach((line, i) => {
        if (/Date\.now\b|new Date\(\s*\)/.test(line)) found.push(`${file}:${i + 1}: ${line.trim()}`);
        // SQL's clock: the statement gets the time passed in instead.
        if (/(?<![.\w])(now\(\)|current_timestamp|localtimestamp)/i.test(line) && /\b(insert|update|select|where|values|interval|set)\b/i.test(line)) {
          found.push(`${file}:${i + 1}: ${line.trim()}`);
        }
      });
    }
    expect(found).toEqual([]);
  });
});
