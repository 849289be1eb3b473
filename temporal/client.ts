// The one Temporal client of a process (API side).
import { Client, Connection } from '@temporalio/client';

export interface TemporalClientOptions {
  address: string;
  namespace: string;
}

export function connectTemporalClient(options: TemporalClientOptions): Client {
  // Lazy: the API starts even when Temporal is down, and /readyz says why.
  const connection = Connection.lazy({ address: options.address, connectTimeout: '10s' });
  return new Client({ connection, namespace: options.namespace });
}

/** True when the Temporal frontend answers GetSystemInfo within the timeout. */
export async function temporalReachable(client: Client, timeoutMs = 2000): Promise<{ ok: true } | { ok: false; reason: string }> {
  try {
    await client.connection.withDeadline(Date.now() + timeoutMs, () => client.workflowService.getSystemInfo({}));
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) };
  }
}
