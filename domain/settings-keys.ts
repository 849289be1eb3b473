// Settings are objects of known keys: a key the rules do not know (a typo such as
// `submissionDeadlin`) is named as a problem instead of being silently ignored.

/** Paths (`prefix.key`) of the keys of `given` that `known` does not have, one level deep. */
export function unknownSettingKeys(given: unknown, known: object, prefix: string): string[] {
  if (typeof given !== 'object' || given === null || Array.isArray(given)) return [];
  return Object.keys(given).filter((key) => !Object.hasOwn(known, key)).map((key) => (prefix ? `${prefix}.${key}` : key));
}

export const UNKNOWN_SETTING_RULE = 'is not a known setting';
