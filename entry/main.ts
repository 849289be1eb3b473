// Shared start-up of every entry point: read the configuration (exit 2 with every broken
// rule named), then start the requested parts in order and stop them in reverse on signals.
import { ConfigError, loadConfig, type Config } from '../config/config.ts';
import { createLogger } from './components.ts';
import { Lifecycle, stopOnSignals } from './lifecycle.ts';
import type { Logger } from 'pino';

export async function main(run: (config: Config, logger: Logger, lifecycle: Lifecycle) => Promise<void>): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger(config);
  const lifecycle = new Lifecycle(logger);
  stopOnSignals(lifecycle, logger, config.SHUTDOWN_TIMEOUT_MS);
  try {
    await run(config, logger, lifecycle);
  } catch (error) {
    if (error instanceof ConfigError) console.error(error.message);
    else logger.fatal({ err: error }, 'start-up failed');
    await lifecycle.stop(config.SHUTDOWN_TIMEOUT_MS);
    process.exit(1);
  }
}
