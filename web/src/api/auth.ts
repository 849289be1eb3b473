// Sign-in, renewal and sign-out against /auth. POST /auth/refresh, /auth/logout and
// /auth/password come with the refresh tokens of the trust issue; where the API does not have
// them yet, the pages say so instead of failing.
import { api, ApiFailure, ask } from './client';
import { clearSession, saveSession, session, type Me } from '../session';

export async function signIn(login: string, password: string): Promise<void> {
  const answer = (await ask(() => api.POST('/auth/login', { body: { login, password } }))) as { accessToken: string; expiresIn: number; me: Me; refreshToken?: string };
  saveSession({ accessToken: answer.accessToken, refreshToken: answer.refreshToken ?? null, expiresAt: Date.now() + answer.expiresIn * 1000, me: answer.me });
}

export async function signOut(): Promise<void> {
  const refreshToken = session.refreshToken;
  const accessToken = session.accessToken;
  clearSession();
  if (refreshToken) {
    await fetch('/auth/logout', { method: 'POST', headers: { 'content-type': 'application/json', ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}) }, body: JSON.stringify({ refreshToken }) }).catch(() => undefined);
  }
}

/** Changes the signed-in account's password; throws ApiFailure (404 `not_available` when the API has no such route). */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  const send = () => fetch('/auth/password', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${session.accessToken}` }, body: JSON.stringify({ currentPassword, newPassword }) });
  let response: Response;
  try {
    response = await send();
  } catch {
    throw new ApiFailure(0, null, null);
  }
  if (response.ok) return;
  const body = (await response.json().catch(() => null)) as { error?: string; message?: string } | null;
  if (response.status === 404 && body?.message?.startsWith('no route')) throw new ApiFailure(404, { error: 'not_available', message: 'no route' }, null);
  throw new ApiFailure(response.status, body as never, Number(response.headers.get('retry-after')) || null);
}
