// `npm install` (prepare) builds the web application, so `npm start` serves it at once. Where
// the build tools are not installed (npm ci --omit=dev) or web/ is absent (an image layer
// before the sources are copied), it says so and leaves the API to run without pages.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from '../config/config.ts';

if (!existsSync(path.join(projectRoot, 'web/vite.config.ts')) || !existsSync(path.join(projectRoot, 'node_modules/vite'))) {
  console.log('web application not built (no web/ sources or no build tools); run `npm run build:web` where they are');
} else {
  const started = Date.now();
  const result = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: projectRoot, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
  console.log(`web application built into web/dist in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
