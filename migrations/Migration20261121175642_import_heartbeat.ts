import { Migration } from '@mikro-orm/migrations';

export class Migration20261121175642_import_heartbeat extends Migration {

  override name = 'Migration20261121175642_import_heartbeat';

  override up(): void | Promise<void> {
    this.addSql(`alter table "import_job" add "heartbeat_at" timestamptz null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "import_job" drop column "heartbeat_at";`);
  }

}
