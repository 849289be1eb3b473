import { Migration } from '@mikro-orm/migrations';

export class Migration20261121155417_person_personnel_fields extends Migration {

  override name = 'Migration20261121155417_person_personnel_fields';

  override up(): void | Promise<void> {
    this.addSql(`alter table "person" add "gender" text null, add "birth_month" varchar(7) null, add "political_status" varchar(20) null;`);
    this.addSql(`alter table "person" add constraint "person_gender_check" check ("gender" in ('男', '女'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "person" drop constraint "person_gender_check";`);
    this.addSql(`alter table "person" drop column "gender", drop column "birth_month", drop column "political_status";`);
  }

}
