// The built web application is served by the API's own process: the page at `/` and at the
// application's own paths for a browser, assets gzip pre-compressed and cached, JSON (and the
// API's 404) unchanged for programs, and the public links answering the page to a browser.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { startTestApp, type TestApp } from '../support/app.ts';
import { webDist } from '../../api/plugins/web.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
}, 60_000);
afterAll(async () => app?.close());

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

describe('web application', () => {
  it('serves the page at / and at its own paths to browsers, and JSON 404s to programs', async () => {
    const root = await app.server.inject({ method: 'GET', url: '/', headers: html });
    expect(root.statusCode).toBe(200);
    expect(root.headers['content-type']).toContain('text/html');
    expect(root.body).toContain('<div id="app">');
    const page = await app.server.inject({ method: 'GET', url: '/sets/0b6f7c2e-1d3a-4e5b-8c9d-0a1b2c3d4e5f?tab=draft', headers: html });
    expect(page.statusCode).toBe(200);
    expect(page.body).toBe(root.body);
    const program = await app.server.inject({ method: 'GET', url: '/sets/whatever', headers: { accept: 'application/json' } });
    expect(program.statusCode).toBe(404);
    expect(program.json()).toMatchObject({ error: 'not_found' });
    // API routes and the docs are unchanged for a browser too.
    expect((await app.server.inject({ method: 'GET', url: '/dual-commitments/sets', headers: html })).statusCode).toBe(401);
    expect((await app.server.inject({ method: 'GET', url: '/docs/json' })).json()).toHaveProperty('openapi');
    expect((await app.server.inject({ method: 'POST', url: '/todo', headers: html })).statusCode).toBe(404);
  });

  it('serves hashed assets gzip-compressed with a long cache and no CDN address', async () => {
    const assets = await readdir(path.join(webDist, 'assets'));
    const entry = (await app.server.inject({ method: 'GET', url: '/', headers: html })).body.match(/src="(\/assets\/index-[^"]+\.js)"/)![1]!;
    expect(assets).toContain(path.basename(entry));
    const js = await app.server.inject({ method: 'GET', url: entry, headers: { 'accept-encoding': 'gzip, br' } });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-encoding']).toBe('gzip');
    expect(js.headers['cache-control']).toContain('immutable');
    const plain = await app.server.inject({ method: 'GET', url: entry });
    expect(plain.body).not.toMatch(/https?:\/\/(fonts\.googleapis|cdn\.|unpkg|jsdelivr)/);
    // Noto Sans SC comes from npm, split by unicode-range.
    const css = assets.filter((a) => a.endsWith('.css'));
    const fonts = assets.filter((a) => a.endsWith('.woff2'));
    expect(fonts.length).toBeGreaterThan(50);
    const styles = await Promise.all(css.map(async (c) => (await app.server.inject({ method: 'GET', url: `/assets/${c}` })).body));
    expect(styles.join('\n')).toMatch(/font-family:\s*['"]?Noto Sans SC[\s\S]*unicode-range/);
  });

  it('answers every public link with the page to a browser and JSON to programs, varying by Accept so a cache never mixes them', async () => {
    const token = 'pcl_not_a_real_token_123';
    const spec = (await app.server.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, { get?: unknown }> };
    // Every public link a person opens is a page; /public/access-links/{token} only tells a program what a link is for.
    const links = Object.keys(spec.paths).filter(
      (p) => spec.paths[p]!.get && /^\/public\/[^/]+\/\{token\}$/.test(p) && p !== '/public/access-links/{token}',
    );
    expect(links).toEqual(expect.arrayContaining(['/public/commitments/{token}', '/public/star-objections/{token}', '/public/posting-surveys/{token}', '/public/grid-matters/{token}']));
    for (const url of links.map((p) => p.replace('{token}', token))) {
      const page = await app.server.inject({ method: 'GET', url, headers: html });
      expect([url, page.statusCode]).toEqual([url, 200]);
      expect(page.body).toContain('<div id="app">');
      expect(page.headers.vary).toMatch(/accept/i);
      const json = await app.server.inject({ method: 'GET', url, headers: { accept: 'application/json' } });
      expect([url, json.statusCode]).toEqual([url, 404]);
      expect(json.json()).toMatchObject({ error: expect.stringMatching(/^(not_found|link_unknown)$/) });
      expect(json.headers.vary).toMatch(/accept/i);
    }
  });
});
