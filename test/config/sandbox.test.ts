// npm run sandbox never runs against a database or Temporal cluster it was pointed at, and never
// wipes a folder that is not a sandbox's own.
import { describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { checkThrowawayFolder, sandboxDatabaseUrl, sandboxEnvironment, SANDBOX_MARKER } from '../../config/sandbox.ts';
import { ConfigError } from '../../config/config.ts';

describe('sandbox settings', () => {
  it('refuses a production DATABASE_URL or TEMPORAL_ADDRESS, naming both', () => {
    let error: unknown;
    try {
      sandboxEnvironment({ DATABASE_URL: 'postgres://svc:pw@db.internal:5432/party_cycles', TEMPORAL_ADDRESS: 'temporal:7233' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([expect.stringContaining('DATABASE_URL'), expect.stringContaining('TEMPORAL_ADDRESS')]);
  });

  it('fills its own ports and folder, loads the demo, and accepts only its own throwaway database URL', () => {
    const env = sandboxEnvironment({ DATABASE_URL: sandboxDatabaseUrl(54339) });
    expect(env).toMatchObject({ PORT: '3100', EMBEDDED_PG_PORT: '54339', DEVSERVER_PORT: '7243', SEED_DEMO: 'true' });
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.DATA_DIR).toMatch(/data\/sandbox$/);
  });

  it('wipes only an empty folder or one marked as a sandbox', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sandbox-dir-'));
    expect(() => checkThrowawayFolder(dir)).not.toThrow();
    await writeFile(path.join(dir, 'PG_VERSION'), '18');
    expect(() => checkThrowawayFolder(dir)).toThrow(/not a sandbox's/);
    await writeFile(path.join(dir, SANDBOX_MARKER), '');
    expect(() => checkThrowawayFolder(dir)).not.toThrow();
  });
});
