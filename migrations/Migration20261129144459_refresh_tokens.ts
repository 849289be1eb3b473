import { Migration } from '@mikro-orm/migrations';

export class Migration20261129144459_refresh_tokens extends Migration {

  override name = 'Migration20261129144459_refresh_tokens';

  override up(): void | Promise<void> {
    this.addSql(`create table "refresh_token" ("id" uuid not null, "account_id" uuid not null, "family_id" uuid not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, "revoked_reason" varchar(20) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "refresh_token_account_id_index" on "refresh_token" ("account_id");`);
    this.addSql(`create index "refresh_token_family_id_index" on "refresh_token" ("family_id");`);
    this.addSql(`alter table "refresh_token" add constraint "refresh_token_token_hash_unique" unique ("token_hash");`);

    this.addSql(`alter table "refresh_token" add constraint "refresh_token_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "refresh_token" cascade;`);
  }

}
