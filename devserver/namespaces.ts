// Namespaces: 'default' always exists (the SDK's test environments never register one);
// others come from RegisterNamespace and are persisted through the store.
import { randomUUID } from 'node:crypto';
import { NamespaceAlreadyExistsError, NamespaceNotFoundError } from './errors.ts';
import type { NamespaceRecord, WorkflowStore } from './store/types.ts';
import { durationMs, toDuration } from './workflow/time.ts';

const DEFAULT_RETENTION_MS = 24 * 3600 * 1000;

export class Namespaces {
  private readonly byName = new Map<string, NamespaceRecord>();
  private readonly store: WorkflowStore;

  constructor(store: WorkflowStore) {
    this.store = store;
  }

  async load(): Promise<void> {
    for (const ns of await this.store.listNamespaces()) this.byName.set(ns.name, ns);
    if (!this.byName.has('default')) {
      await this.register({ name: 'default', description: 'Default namespace of the devserver' });
    }
  }

  require(name: string): NamespaceRecord {
    const ns = this.byName.get(name || 'default');
    if (!ns) throw new NamespaceNotFoundError(name);
    return ns;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  async register(req: Record<string, any>): Promise<void> {
    if (this.byName.has(req.namespace ?? req.name)) throw new NamespaceAlreadyExistsError(req.namespace ?? req.name);
    const record: NamespaceRecord = {
      name: req.namespace ?? req.name,
      id: randomUUID(),
      description: req.description ?? '',
      ownerEmail: req.ownerEmail ?? '',
      retentionMs: durationMs(req.workflowExecutionRetentionPeriod) || DEFAULT_RETENTION_MS,
      data: req.data ?? {},
      registeredAt: Date.now(),
    };
    await this.store.saveNamespace(record);
    this.byName.set(record.name, record);
  }

  list(): NamespaceRecord[] {
    return [...this.byName.values()];
  }

  describe(ns: NamespaceRecord): object {
    return {
      namespaceInfo: {
        name: ns.name,
        state: 'NAMESPACE_STATE_REGISTERED',
        description: ns.description,
        ownerEmail: ns.ownerEmail,
        data: ns.data,
        id: ns.id,
        capabilities: { eagerWorkflowStart: false, syncUpdate: true, asyncUpdate: true },
        supportsSchedules: false,
      },
      config: {
        workflowExecutionRetentionTtl: toDuration(ns.retentionMs),
        historyArchivalState: 'ARCHIVAL_STATE_DISABLED',
        visibilityArchivalState: 'ARCHIVAL_STATE_DISABLED',
      },
      replicationConfig: {
        activeClusterName: 'active',
        clusters: [{ clusterName: 'active' }],
        state: 'REPLICATION_STATE_NORMAL',
      },
      isGlobalNamespace: false,
    };
  }
}
