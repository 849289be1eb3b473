// `npm run migration:create [name]`: diffs the entities against a database that has every
// existing migration applied and writes the difference as a new migration in migrations/,
// then lists it in migrations/index.ts. Uses a throwaway embedded PostgreSQL unless
// MIGRATION_DATABASE_URL is given.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../config/config.ts';
import { freePort, startEmbeddedPostgres } from '../db/embedded-postgres.ts';
import { initOrm } from '../db/orm.ts';

const name = process.argv[2];
const folder = path.join(projectRoot, 'migrations');
const tmp = await mkdtemp(path.join(os.tmpdir(), 'migration-pg-'));
const pg = process.env.MIGRATION_DATABASE_URL
  ? undefined
  : await startEmbeddedPostgres({ dataDir: path.join(tmp, 'pg'), port: await freePort(), database: 'migrations' });
try {
  const orm = await initOrm({ url: process.env.MIGRATION_DATABASE_URL ?? pg!.url });
  try {
    const result = await orm.migrator.create(folder, false, false, name);
    if (!result.fileName) {
      console.log('entities match the migrations: nothing to create');
    } else {
      const className = result.fileName.replace(/\.ts$/, '');
      const indexPath = path.join(folder, 'index.ts');
      const index = await readFile(indexPath, 'utf8');
      const withImport = index.replace('// <imports>', `import { ${className} } from './${result.fileName}';\n// <imports>`);
      const withEntry = withImport.replace('  // <list>', `  { name: '${className}', class: ${className} },\n  // <list>`);
      await writeFile(indexPath, withEntry);
      console.log(`created migrations/${result.fileName}:\n${result.diff.up.join('\n')}`);
    }
  } finally {
    await orm.close(true);
  }
} finally {
  await pg?.stop();
  await rm(tmp, { recursive: true, force: true });
}
