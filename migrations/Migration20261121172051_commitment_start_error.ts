import { Migration } from '@mikro-orm/migrations';

export class Migration20261121172051_commitment_start_error extends Migration {

  override name = 'Migration20261121172051_commitment_start_error';

  override up(): void | Promise<void> {
    this.addSql(`alter table "commitment_set" add "start_error" text null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "commitment_set" drop column "start_error";`);
  }

}
