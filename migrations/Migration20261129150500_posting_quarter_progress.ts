import { Migration } from '@mikro-orm/migrations';

/** Where a running quarter's review stands, saved by its workflow so the posting's view needs no query. */
export class Migration20261129150500_posting_quarter_progress extends Migration {

  override name = 'Migration20261129150500_posting_quarter_progress';

  override up(): void | Promise<void> {
    this.addSql(`create table "posting_quarter_progress" ("id" uuid not null, "posting_id" uuid not null, "quarter" smallint not null, "status" jsonb not null, "saved_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "posting_quarter_progress" add constraint "posting_quarter_progress_unique" unique ("posting_id", "quarter");`);
    this.addSql(`alter table "posting_quarter_progress" add constraint "posting_quarter_progress_posting_id_foreign" foreign key ("posting_id") references "posting" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "posting_quarter_progress" cascade;`);
  }

}
