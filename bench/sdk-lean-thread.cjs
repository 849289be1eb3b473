// An experiment for bench/grid-floor.ts (GRID_FLOOR_LEAN_SDK=1), never for the service: what the
// SDK's workflow thread costs for two of its safety features, measured by switching them off in
// that thread only. (1) Every activation runs in vm with a `timeout`, for which Node starts and
// joins a watchdog thread per call (the SDK's deadlock detection: a task over 5 s fails). (2) A
// promise hook records a source-mapped stack trace of every promise a workflow makes (for the
// `__stack_trace` query). Loaded in the workflow thread before the SDK's own code.
'use strict';
const vm = require('node:vm');
const v8 = require('node:v8');

const runInContext = vm.Script.prototype.runInContext;
vm.Script.prototype.runInContext = function runWithoutWatchdog(context, options) {
  if (options && options.timeout !== undefined) {
    const { timeout: _timeout, ...rest } = options;
    return runInContext.call(this, context, rest);
  }
  return runInContext.call(this, context, options);
};
v8.promiseHooks.createHook = () => () => undefined;
