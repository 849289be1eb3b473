// Where the Chromium binary comes from and how it is started. By default the binary shipped
// inside @sparticuz/chromium, so `npm install` alone is enough on a machine with no internet;
// CHROMIUM_PATH or PUPPETEER_EXECUTABLE_PATH selects a system Chromium (the Docker image).
import chromium from '@sparticuz/chromium';
import puppeteer from 'puppeteer-core';
import type { Browser } from 'puppeteer-core';

let unpacked: Promise<string> | undefined;

/**
 * The first executablePath() unpacks ~209 MB into the temp dir (~1.7 s). Memoized so that a
 * burst of first renders in one process unpacks once; the package itself skips the work when
 * the binary is already there from an earlier process.
 */
function unpackBundledChromium(): Promise<string> {
  unpacked ??= chromium.executablePath().catch((error: unknown) => {
    unpacked = undefined;
    throw error;
  });
  return unpacked;
}

export function resolveExecutablePath(explicit?: string): Promise<string> {
  const fromEnv = process.env.CHROMIUM_PATH || process.env.PUPPETEER_EXECUTABLE_PATH;
  const chosen = explicit || fromEnv;
  return chosen ? Promise.resolve(chosen) : unpackBundledChromium();
}

// Root in a container, no GPU, no internet: turn off the sandbox (needs user namespaces) and
// everything that would phone home or wait on a network that is not there.
const LAUNCH_ARGS = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--no-zygote',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-domain-reliability',
  '--disable-sync',
  '--disable-extensions',
  '--disable-breakpad',
  '--disable-client-side-phishing-detection',
  '--metrics-recording-only',
  '--no-first-run',
  '--no-default-browser-check',
  '--no-pings',
  '--mute-audio',
  '--font-render-hinting=none',
  '--disable-features=Translate,MediaRouter,OptimizationHints,AutofillServerCommunication,CertificateTransparencyComponentUpdater',
];

export async function launchBrowser(executablePath: string): Promise<Browser> {
  return puppeteer.launch({
    executablePath,
    // chrome-headless-shell: the @sparticuz build is only that, and it prints as well as full Chrome.
    headless: 'shell',
    args: LAUNCH_ARGS,
    // The worker process owns shutdown (close()); do not let puppeteer race it on signals.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
