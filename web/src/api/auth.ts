// Sign-in, sign-out and the own password against /auth. The refresh token (api/client.ts)
// keeps a clerk signed in for the working day; changing the password ends every session.
import { api, ask } from './client';
import { clearSession, saveSession, session, type Me } from '../session';

export async function signIn(login: string, password: string): Promise<void> {
  const answer = await ask(() => api.POST('/auth/login', { body: { login, password } }));
  saveSession({ accessToken: answer.accessToken, refreshToken: answer.refreshToken, expiresAt: Date.now() + answer.expiresIn * 1000, me: answer.me as Me });
}

export async function signOut(): Promise<void> {
  const refreshToken = session.refreshToken;
  clearSession();
  if (refreshToken) await api.POST('/auth/logout', { body: { refreshToken } }).catch(() => undefined);
}

/** Changes the signed-in account's password; throws ApiFailure with the field rules. */
export async function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  await ask(() => api.POST('/auth/password', { body: { currentPassword, newPassword } }));
}
