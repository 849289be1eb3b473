// The web application's build: Vue SFCs, Element Plus components and their styles imported on
// demand, and every emitted file also written gzip-compressed so the API serves it pre-compressed.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';
import vue from '@vitejs/plugin-vue';
import Components from 'unplugin-vue-components/vite';
import AutoImport from 'unplugin-auto-import/vite';
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers';

const webRoot = path.dirname(fileURLToPath(import.meta.url));
const apiTarget = process.env.API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 3000}`;

/** Writes <file>.gz next to each text asset of the build (served by @fastify/static's preCompressed). */
function precompress(): Plugin {
  return {
    name: 'precompress',
    apply: 'build',
    async closeBundle() {
      const dist = path.join(webRoot, 'dist');
      const walk = async (dir: string): Promise<string[]> => (await Promise.all((await readdir(dir, { withFileTypes: true })).map((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)])))).flat();
      for (const file of await walk(dist)) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        await writeFile(`${file}.gz`, gzipSync(await readFile(file), { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  root: webRoot,
  base: '/',
  plugins: [
    vue(),
    AutoImport({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: path.join(webRoot, 'src/auto-imports.d.ts') }),
    Components({ resolvers: [ElementPlusResolver({ importStyle: 'css' })], dts: path.join(webRoot, 'src/components.d.ts'), dirs: [] }),
    precompress(),
  ],
  build: {
    outDir: path.join(webRoot, 'dist'),
    emptyOutDir: true,
    chunkSizeWarningLimit: 600,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev:web`: the API (npm start) answers everything but the pages.
    proxy: Object.fromEntries(
      ['/auth', '/dual-commitments', '/notifications', '/organizations', '/units', '/evidence', '/catalogs', '/star-ratings', '/postings', '/accounts', '/docs', '/readyz', '/healthz', '/public'].map((p) => [p, { target: apiTarget, bypass: (req) => (p === '/docs' || !req.headers.accept?.includes('text/html') ? undefined : '/index.html') }]),
    ),
  },
});
