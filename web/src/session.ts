// Who is signed in: tokens and identity, kept in localStorage so a reload or a new tab stays
// signed in. The refresh token renews the 15-minute access token (api/client.ts).
import { computed, reactive } from 'vue';

export interface Grant {
  role: string;
  unitId: string | null;
  organizationId: string | null;
}
export interface Me {
  accountId: string;
  login: string;
  displayName: string;
  /** The person on record for the account (an in-service member reports to a community as that person). */
  personId?: string | null;
  grants: Grant[];
}
interface Stored {
  accessToken: string | null;
  refreshToken: string | null;
  /** Epoch ms when the access token expires. */
  expiresAt: number;
  me: Me | null;
}

const KEY = 'party-cycles.session';

function load(): Stored {
  try {
    const raw = localStorage.getItem(KEY);
    if (raw) return JSON.parse(raw) as Stored;
  } catch {
    /* a broken entry is a signed-out session */
  }
  return { accessToken: null, refreshToken: null, expiresAt: 0, me: null };
}

export const session = reactive<Stored>(load());

export function saveSession(next: Partial<Stored>): void {
  Object.assign(session, next);
  localStorage.setItem(KEY, JSON.stringify(session));
}

/** Takes what another tab stored (a renewed pair, a sign-out). */
export function reloadSession(): void {
  Object.assign(session, load());
}
window.addEventListener('storage', (event) => {
  if (event.key === KEY) reloadSession();
});

export function clearSession(): void {
  saveSession({ accessToken: null, refreshToken: null, expiresAt: 0, me: null });
}

export const roles = computed(() => new Set((session.me?.grants ?? []).map((g) => g.role)));
export const hasRole = (...wanted: string[]) => wanted.some((r) => roles.value.has(r));
export const signedIn = computed(() => Boolean(session.accessToken && session.me));
