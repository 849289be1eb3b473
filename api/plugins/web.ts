// The built web application (web/dist) served by the API's own process: assets at their
// hashed paths (cached for a year, gzip pre-compressed), index.html at `/`, and the same page
// for a browser's request of a path no route answers (the application's own pages). A public
// link (/public/...) answers this page to a browser and JSON to programs (see wantsPage).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fastifyStatic from '@fastify/static';
import { projectRoot } from '../../config/config.ts';
import { sandboxPage } from './sandbox.ts';

export const webDist = path.join(projectRoot, 'web/dist');
const indexFile = path.join(webDist, 'index.html');
let built = false;

/** A browser asking for a page: GET or HEAD with text/html preferred over JSON. */
export function wantsPage(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const accept = request.headers.accept ?? '';
  const html = accept.indexOf('text/html');
  const json = accept.indexOf('application/json');
  return html !== -1 && (json === -1 || html < json);
}

/**
 * Answers the application's page, or false when the web application has not been built. The
 * page is read on each request (a small file in the page cache), so a rebuild is served at once.
 */
export function sendPage(reply: FastifyReply): boolean {
  if (!built) return false;
  const sandbox = reply.server.services?.sandbox;
  const page = sandbox ? sandboxPage(readFileSync(indexFile, 'utf8'), sandbox) : readFileSync(indexFile);
  void reply.status(200).header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-cache').send(page);
  return true;
}

/**
 * Every GET answer may differ by Accept (a public link is a page to a browser and JSON to a
 * program), so each says so: a browser's cache must not show the JSON on a reload.
 */
export function varyByAccept(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if ((request.method === 'GET' || request.method === 'HEAD') && !request.url.startsWith('/assets/')) {
      const vary = reply.getHeader('vary');
      if (!vary) reply.header('vary', 'Accept');
      else if (!/\baccept\b/i.test(String(vary))) reply.header('vary', `${String(vary)}, Accept`);
    }
    return payload;
  });
}

export async function registerWebApp(app: FastifyInstance): Promise<void> {
  if (!existsSync(indexFile)) {
    app.log.warn({ webDist }, 'the web application is not built (npm run build:web): serving the API only');
    return;
  }
  built = true;
  await app.register(fastifyStatic, {
    root: webDist,
    prefix: '/',
    // Files are looked up per request (a rebuild needs no restart); a miss falls through to the
    // not-found handler, which gives a browser the page and a program the API's 404.
    wildcard: true,
    index: false,
    preCompressed: true,
    serveDotFiles: false,
    setHeaders: (reply, file) => {
      reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.get('/', { schema: { hide: true }, config: { auth: { public: true } } }, (_request, reply) => {
    sendPage(reply);
  });
}
