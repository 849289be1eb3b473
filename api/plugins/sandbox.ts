// Marks of the sandbox (`npm run sandbox`) on everything it answers: two headers on every reply
// (errors, pages and files included), and on the application's page a <meta> the web app shows
// as a banner (see sandboxPage), so nobody mistakes a rehearsal for the real thing.
import type { FastifyInstance } from 'fastify';
import type { SandboxControl } from '../app-services.ts';
import { shanghaiIso } from '../../domain/sandbox/calendar.ts';

export const SANDBOX_HEADER = 'x-environment';
export const SIMULATED_TIME_HEADER = 'x-simulated-time';

export function registerSandboxMarks(app: FastifyInstance, sandbox: SandboxControl): void {
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header(SANDBOX_HEADER, 'sandbox');
    reply.header(SIMULATED_TIME_HEADER, shanghaiIso(sandbox.clock.now()));
    return payload;
  });
}

/** The page with the sandbox's marks: the web app reads them to show its 演示环境 banner. */
export function sandboxPage(html: string, sandbox: SandboxControl): string {
  const meta = `<meta name="environment" content="sandbox"><meta name="simulated-time" content="${shanghaiIso(sandbox.clock.now())}">`;
  return html.replace('<head>', `<head>${meta}`);
}
