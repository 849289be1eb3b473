// Downloads a protected file (an Excel export, an import template) with the session's token and
// hands it to the browser under the name the API gives (Content-Disposition filename*).
import { ApiFailure, refreshSession } from './client';
import { session } from '../session';

const nameOf = (disposition: string | null, fallback: string) => {
  const star = disposition?.match(/filename\*=UTF-8''([^;]+)/i);
  if (star) return decodeURIComponent(star[1]!);
  return disposition?.match(/filename="([^"]+)"/i)?.[1] ?? fallback;
};

/** GET `path` (with its query) and save the answer; throws ApiFailure on an error answer. */
export async function download(path: string, query: Record<string, string | number | boolean | undefined | null> = {}, fallback = 'export.xlsx') {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  return save(params.size ? `${path}?${params}` : path, {}, fallback);
}

/** POST a JSON body to `path` and save the file it answers (codes issued as slips: the file is the only copy of the codes). */
export const downloadPosted = (path: string, body: unknown, fallback = 'export.xlsx') =>
  save(path, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }, fallback);

async function save(url: string, init: RequestInit & { headers?: Record<string, string> }, fallback: string) {
  const go = () => fetch(url, { ...init, headers: { ...init.headers, ...(session.accessToken ? { authorization: `Bearer ${session.accessToken}` } : {}) } });
  let response = await go();
  if (response.status === 401 && (await refreshSession())) response = await go();
  if (!response.ok) throw new ApiFailure(response.status, await response.json().catch(() => null), null);
  const blob = await response.blob();
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = nameOf(response.headers.get('content-disposition'), fallback);
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
