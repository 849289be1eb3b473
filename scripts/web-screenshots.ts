// Screenshots of the web application's pages as a given account, for looking at them and for
// the README: node scripts/web-screenshots.ts <base-url> <out-dir> <login> <password> <path>...
// (a path "phone:/public/..." is taken on a 375 px phone screen, signed out).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launchBrowser, resolveExecutablePath } from '../reports/browser.ts';

const [base, outDir, login, password, ...paths] = process.argv.slice(2);
if (!base || !outDir || !login || !password) {
  console.error('usage: node scripts/web-screenshots.ts <base-url> <out-dir> <login> <password> <path>...');
  process.exit(2);
}
await mkdir(outDir, { recursive: true });
const browser = await launchBrowser(await resolveExecutablePath());
try {
  const page = await browser.newPage();
  await page.setViewport({ width: 1440, height: 900 });
  await page.goto(`${base}/login`, { waitUntil: 'networkidle0' });
  await page.type('input[name=login]', login);
  await page.type('input[name=password]', password);
  await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }).catch(() => undefined), page.click('[data-test=sign-in]')]);
  for (const entry of paths) {
    const phone = entry.startsWith('phone:');
    const target = phone ? entry.slice(6) : entry;
    const tab = phone ? await browser.newPage() : page;
    if (phone) await tab.setViewport({ width: 375, height: 740, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await tab.goto(`${base}${target}`, { waitUntil: 'networkidle0' });
    await new Promise((r) => setTimeout(r, 400));
    const file = path.join(outDir, `${login}-${target.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'root'}.png`);
    await tab.screenshot({ path: file, fullPage: true });
    console.log(file);
    if (phone) await tab.close();
  }
} finally {
  await browser.close();
}
