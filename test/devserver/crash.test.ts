// Durability: the devserver on PostgreSQL runs as a child process and is SIGKILLed while
// workflows wait on timers, activities run and signals arrive; restarted on the same database
// and port, every workflow completes with every acknowledged signal and no activity ran twice.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createTestDatabase, type TestDatabase } from '../support/database.ts';
import * as activities from './workflows/activities.ts';
import { approve } from './workflows/index.ts';
import { bundle, devserverBin, quietLogger, replayAll } from './support.ts';

let db: TestDatabase;
let port: number;
let server: ChildProcess | undefined;
let workflowBundle: WorkflowBundleWithSourceMap;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function startServer(): Promise<ChildProcess> {
  const child = spawn(devserverBin, [String(port), '--store', 'postgres'], {
    env: { ...process.env, DATABASE_URL: db.url, DEVSERVER_TIME_SKIPPING: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`devserver exited with ${code}`)));
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

beforeAll(async () => {
  Runtime.install({ logger: quietLogger as never });
  [db, port, workflowBundle] = await Promise.all([createTestDatabase('devserver_crash'), freePort(), bundle()]);
});

afterAll(async () => {
  if (server && server.exitCode === null) await kill(server);
  await db?.drop();
});

describe('devserver on PostgreSQL survives kill -9', () => {
  it('finishes every workflow exactly once after a restart', async () => {
    server = await startServer();
    const address = `127.0.0.1:${port}`;
    const connection = await Connection.connect({ address });
    const client = new Client({ connection });
    const nativeConnection = await NativeConnection.connect({ address });
    const worker = await Worker.create({ connection: nativeConnection, taskQueue: 'crash', workflowBundle, activities });
    const running = worker.run();
    try {
      const names = Array.from({ length: 12 }, (_v, i) => `w${i}`);
      const handles = await Promise.all(names.map((n) => client.workflow.start('durable', { taskQueue: 'crash', workflowId: `crash-${n}`, args: [n] })));
      // Activities are running (1.5 s each); signal half of the workflows now.
      await new Promise((r) => setTimeout(r, 700));
      await Promise.all(handles.slice(0, 6).map((h) => h.signal(approve, 'early')));
      await kill(server);
      await new Promise((r) => setTimeout(r, 300));
      server = await startServer();
      // Timers re-armed and activity completions retried by the worker against the new process.
      await Promise.all(handles.slice(6).map((h) => h.signal(approve, 'late')));
      const results = await Promise.all(handles.map((h) => h.result()));
      expect(results).toEqual(names.map((n, i) => `hello ${n}/${i < 6 ? 'early' : 'late'}`));
      for (const n of names) expect(activities.executions.get(n)).toBe(1);
      await replayAll(client, workflowBundle, handles.map((h) => ({ workflowId: h.workflowId })));
    } finally {
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
    }
  }, 120_000);
});
