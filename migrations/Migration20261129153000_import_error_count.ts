import { Migration } from '@mikro-orm/migrations';

/** How many rule breaks an import found in all: the job keeps only the first 1,000 of them. */
export class Migration20261129153000_import_error_count extends Migration {

  override name = 'Migration20261129153000_import_error_count';

  override up(): void | Promise<void> {
    this.addSql(`alter table "import_job" add column "error_count" int not null default 0;`);
    this.addSql(`update "import_job" set "error_count" = jsonb_array_length("errors");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "import_job" drop column "error_count";`);
  }

}
