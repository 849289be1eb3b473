// The layers depend one way (issue 13): api/ may use domain/ and activities/, activities/ may
// use domain/, and domain/ uses neither. An HTTP detail (or an activity) reached from domain/
// would be bundled into workflows and couple the rules to the transport.
import { describe, expect, it } from '@jest/globals';
import { localImports, sourceFiles } from './source-files.ts';

function crossings(from: string[], forbidden: string[]): string[] {
  return from.flatMap((file) => localImports(file)
    .filter((target) => forbidden.some((dir) => target.startsWith(dir)))
    .map((target) => `${file} -> ${target}`));
}

describe('layer boundaries', () => {
  const domain = sourceFiles('domain');
  const activities = sourceFiles('activities');

  it('finds the files it guards (a moved folder must not empty the check)', () => {
    expect(domain.length).toBeGreaterThan(50);
    expect(activities.length).toBeGreaterThan(3);
    expect(localImports('domain/auth/scope.ts')).toContain('domain/errors.ts');
  });

  it('keeps api/ out of domain/ and activities/', () => {
    expect(crossings([...domain, ...activities], ['api/'])).toEqual([]);
  });

  it('keeps activities/ and workflows/ out of domain/', () => {
    expect(crossings(domain, ['activities/', 'workflows/'])).toEqual([]);
  });
});
