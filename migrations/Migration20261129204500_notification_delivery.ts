import { Migration } from '@mikro-orm/migrations';

/**
 * Notices that reach people (issue 17.5): the channels a department switches on (e-mail, SMS,
 * 钉钉 and 企业微信 group robots) with their secrets encrypted, each person's preferences, and one
 * delivery row per notice and channel (unique, so a notice is never sent twice on a channel),
 * written by the dispatcher. Notices already in the inbox are marked planned: switching a
 * channel on does not resend the past.
 */
export class Migration20261129204500_notification_delivery extends Migration {

  override name = 'Migration20261129204500_notification_delivery';

  override up(): void | Promise<void> {
    this.addSql(`create table "notification_channel" (
      "id" uuid not null primary key default gen_random_uuid(),
      "unit_id" uuid not null references "administrative_unit" ("id") on delete cascade,
      "kind" varchar(20) not null check ("kind" in ('email', 'sms', 'dingtalk', 'wecom')),
      "enabled" boolean not null default false,
      "settings" jsonb not null default '{}',
      "secrets" text null,
      "updated_at" timestamptz not null default now(),
      unique ("unit_id", "kind"));`);
    this.addSql(`create table "notification_preference" (
      "account_id" uuid not null primary key references "account" ("id") on delete cascade,
      "channels" text[] not null,
      "mode" varchar(20) not null check ("mode" in ('immediate', 'digest')),
      "email" varchar(200) null,
      "phone" varchar(32) null,
      "updated_at" timestamptz not null default now());`);
    this.addSql(`create table "notification_delivery" (
      "id" uuid not null primary key default gen_random_uuid(),
      "notification_id" uuid not null references "notification" ("id") on delete cascade,
      "channel_id" uuid not null references "notification_channel" ("id") on delete cascade,
      "channel" varchar(20) not null,
      "recipient_id" uuid not null references "account" ("id") on delete cascade,
      "unit_id" uuid not null references "administrative_unit" ("id") on delete cascade,
      "address" varchar(200) not null,
      "status" varchar(20) not null check ("status" in ('pending', 'held', 'sending', 'sent', 'failed')),
      "digest" boolean not null default false,
      "day" date not null,
      "attempts" int not null default 0,
      "next_attempt_at" timestamptz not null,
      "last_error" varchar(500) null,
      "sent_at" timestamptz null,
      "message_id" varchar(200) null,
      "created_at" timestamptz not null default now(),
      unique ("notification_id", "channel"));`);
    this.addSql('create index "notification_delivery_due_idx" on "notification_delivery" ("next_attempt_at") where "status" in (\'pending\', \'held\');');
    this.addSql('create index "notification_delivery_unit_idx" on "notification_delivery" ("unit_id", "created_at");');
    this.addSql('create index "notification_delivery_recipient_day_idx" on "notification_delivery" ("recipient_id", "channel", "day");');
    this.addSql('alter table "notification" add column "delivery_planned" boolean not null default false;');
    this.addSql('update "notification" set "delivery_planned" = true;');
    this.addSql('create index "notification_unplanned_idx" on "notification" ("created_at") where not "delivery_planned";');
  }

  override down(): void | Promise<void> {
    this.addSql('drop table "notification_delivery";');
    this.addSql('drop table "notification_preference";');
    this.addSql('drop table "notification_channel";');
    this.addSql('alter table "notification" drop column "delivery_planned";');
  }
}
