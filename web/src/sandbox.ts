// The sandbox (`npm run sandbox`): the API marks its page with <meta name="environment"
// content="sandbox"> and every answer with X-Simulated-Time; the banner shows both.
import { ref } from 'vue';

const meta = (name: string) => document.querySelector<HTMLMetaElement>(`meta[name="${name}"]`)?.content ?? null;

export const inSandbox = meta('environment') === 'sandbox';
/** The simulated time of the latest answer (Asia/Shanghai, with offset). */
export const simulatedTime = ref<string | null>(meta('simulated-time'));

export function noteSimulatedTime(response: Response): void {
  const time = response.headers.get('x-simulated-time');
  if (time) simulatedTime.value = time;
}
