import { Migration } from '@mikro-orm/migrations';

/**
 * The notice outbox also carries messages addressed straight to a number (a survey roster's codes
 * by SMS): no inbox notice and no account, the message's subject and text kept on the row until it
 * is sent or given up (then cleared: they hold the code), and the code it carries, one row a code.
 */
export class Migration20261130030000_direct_deliveries extends Migration {

  override name = 'Migration20261130030000_direct_deliveries';

  override up(): void | Promise<void> {
    this.addSql('alter table "notification_delivery" alter column "notification_id" drop not null;');
    this.addSql('alter table "notification_delivery" alter column "recipient_id" drop not null;');
    this.addSql(`alter table "notification_delivery" add column "subject" varchar(200) null, add column "body" text null,
      add column "survey_code_id" uuid null references "survey_code" ("id") on delete cascade;`);
    this.addSql(`alter table "notification_delivery" add constraint "notification_delivery_about_check"
      check ("notification_id" is not null or "survey_code_id" is not null);`);
    this.addSql(`create unique index "notification_delivery_survey_code_idx" on "notification_delivery" ("survey_code_id")
      where "survey_code_id" is not null;`);
  }

  override down(): void | Promise<void> {
    this.addSql('delete from "notification_delivery" where "notification_id" is null;');
    this.addSql('drop index "notification_delivery_survey_code_idx";');
    this.addSql('alter table "notification_delivery" drop constraint "notification_delivery_about_check";');
    this.addSql('alter table "notification_delivery" drop column "subject", drop column "body", drop column "survey_code_id";');
    this.addSql('alter table "notification_delivery" alter column "notification_id" set not null;');
    this.addSql('alter table "notification_delivery" alter column "recipient_id" set not null;');
  }
}
