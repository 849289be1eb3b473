import { Migration } from '@mikro-orm/migrations';

export class Migration20261121151844_report_file extends Migration {

  override name = 'Migration20261121151844_report_file';

  override up(): void | Promise<void> {
    this.addSql(`create table "report_file" ("id" uuid not null, "type" varchar(50) not null, "subject_type" varchar(50) not null, "subject_id" uuid not null, "cycle_id" uuid null, "version" int not null, "sha256" varchar(64) not null, "bytes" bigint not null, "pages" int not null, "created_by" varchar(200) not null, "request_key" varchar(300) null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "report_file_cycle_id_index" on "report_file" ("cycle_id");`);
    this.addSql(`create index "report_file_sha256_index" on "report_file" ("sha256");`);
    this.addSql(`alter table "report_file" add constraint "report_file_request_key_unique" unique ("request_key");`);
    this.addSql(`alter table "report_file" add constraint "report_file_subject_version_unique" unique ("type", "subject_type", "subject_id", "version");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "report_file" cascade;`);
  }

}
