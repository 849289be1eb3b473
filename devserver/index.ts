// Public entry of the devserver package: start it in-process.
export { startDevServer, type DevServer, type DevServerOptions, type StoreOption } from './server.ts';
export type { WorkflowStore } from './store/types.ts';
export { MemoryStore } from './store/memory.ts';
