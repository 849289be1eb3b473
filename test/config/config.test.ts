import { describe, expect, it } from '@jest/globals';
import { ConfigError, loadConfig, projectRoot } from '../../config/config.ts';
import path from 'node:path';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('runs on embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config).toMatchObject({ TEMPORAL_NAMESPACE: 'default', HOST: '127.0.0.1', PORT: 3000, LOG_LEVEL: 'info' });
    expect(config.DATA_DIR).toBe(path.join(projectRoot, 'data'));
  });

  it('converts numbers and booleans and treats empty variables as unset', () => {
    const config = loadConfig({ PORT: '8080', SEED_DEMO: 'true', DATABASE_URL: '', DATA_DIR: 'relative/dir' });
    expect(config.PORT).toBe(8080);
    expect(config.SEED_DEMO).toBe(true);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(path.isAbsolute(config.DATA_DIR)).toBe(true);
  });

  it('names each broken variable with its rule and the value it got', () => {
    const problems = problemsOf({
      PORT: 'abc',
      DATABASE_URL: 'mysql://db/x',
      TEMPORAL_ADDRESS: 'temporal',
      LOG_LEVEL: 'loud',
      JWT_SECRET: 'short',
      AUDIT_SECRET: 'also-short',
    });
    expect(problems).toHaveLength(6);
    expect(problems).toContain('PORT must be an integer from 1 to 65535 (got "abc")');
    expect(problems.find((p) => p.startsWith('DATABASE_URL '))).toMatch(/postgres:\/\/.*got "mysql:\/\/db\/x"/);
    expect(problems.find((p) => p.startsWith('TEMPORAL_ADDRESS '))).toMatch(/host:port/);
    expect(problems.find((p) => p.startsWith('LOG_LEVEL '))).toMatch(/one of fatal, error, warn, info, debug, trace, silent \(got "loud"\)/);
    expect(problems.find((p) => p.startsWith('JWT_SECRET '))).toMatch(/at least 32 characters/);
    expect(problems.find((p) => p.startsWith('AUDIT_SECRET '))).toMatch(/at least 32 characters.*DATA_DIR\/audit-secret/);
  });

  it('rejects a port out of range', () => {
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT must be an integer from 1 to 65535 (got "70000")']);
  });

  it('accepts real addresses', () => {
    const config = loadConfig({ DATABASE_URL: 'postgresql://u:p@db:5432/app', TEMPORAL_ADDRESS: 'temporal:7233', HOST: '0.0.0.0' });
    expect(config.DATABASE_URL).toBe('postgresql://u:p@db:5432/app');
    expect(config.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });
});
