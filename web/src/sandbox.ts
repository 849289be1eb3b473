// The sandbox (`npm run sandbox`): the API marks its page with <meta name="environment"
// content="sandbox"> and every answer with X-Simulated-Time; the banner shows both, and the
// pages' "today" (default years, months, dates) follows the simulated clock, not the browser's.
import { ref } from 'vue';

// (globalThis: the pure modules that import this are also unit-tested under Node, without a DOM.)
const page = (globalThis as { document?: { querySelector(selector: string): { getAttribute(name: string): string | null } | null } }).document;
const meta = (name: string) => page?.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? null;

export const inSandbox = meta('environment') === 'sandbox';
/** The simulated time of the latest answer (Asia/Shanghai, with offset). */
export const simulatedTime = ref<string | null>(meta('simulated-time'));

/** Simulated minus browser time, in ms, as of the latest answer (0 outside the sandbox). */
let offset = simulatedTime.value ? Date.parse(simulatedTime.value) - Date.now() : 0;

export function noteSimulatedTime(response: Response): void {
  const time = response.headers.get('x-simulated-time');
  if (!time) return;
  simulatedTime.value = time;
  const at = Date.parse(time);
  if (Number.isFinite(at)) offset = at - Date.now();
}

/** The service's "now" in ms: the simulated clock in the sandbox, the browser's clock elsewhere. */
export const serviceNow = (): number => Date.now() + offset;
/** The service's current year in Asia/Shanghai (default years of the forms and filters). */
export const serviceYear = (): number => new Date(serviceNow() + 8 * 3_600_000).getUTCFullYear();
