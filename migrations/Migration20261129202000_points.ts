import { Migration } from '@mikro-orm/migrations';

/**
 * Points (先锋指数 for in-service members, 文明积分 for residents) and the 积分兑换超市 (issue 18.4).
 * The ledger is point_entry: one row per posting, keyed by its source (unique), so a retried or
 * concurrent posting of the same source writes once. point_account.balance is the sum of the
 * account's confirmed entries, kept in the same transaction as each entry (check: never below 0).
 */
export class Migration20261129202000_points extends Migration {

  override name = 'Migration20261129202000_points';

  override up(): void | Promise<void> {
    this.addSql(`create table "point_rule" (
      "id" uuid primary key, "unit_id" uuid not null references "administrative_unit" ("id"),
      "code" varchar(40) not null, "label" varchar(100) not null,
      "holder_kind" varchar(10) not null check ("holder_kind" in ('member', 'resident')),
      "points" int not null check ("points" between 1 and 1000),
      "needs_confirmation" boolean not null default true, "active" boolean not null default true,
      "created_at" timestamptz not null, "updated_at" timestamptz not null,
      unique ("unit_id", "code"));`);
    this.addSql(`create table "point_account" (
      "id" uuid primary key,
      "holder_kind" varchar(10) not null check ("holder_kind" in ('member', 'resident')),
      "holder_ref" varchar(64) not null, "display_name" varchar(100) not null,
      "community_id" uuid not null references "administrative_unit" ("id"),
      "balance" int not null default 0 check ("balance" >= 0),
      "earned" int not null default 0, "spent" int not null default 0,
      "created_at" timestamptz not null, "updated_at" timestamptz not null,
      unique ("holder_kind", "holder_ref"));`);
    this.addSql(`create index "point_account_community_idx" on "point_account" ("community_id");`);
    this.addSql(`create table "point_entry" (
      "id" uuid primary key, "account_id" uuid not null references "point_account" ("id"),
      "source_key" varchar(200) not null unique,
      "kind" varchar(10) not null check ("kind" in ('earn', 'hold', 'release')),
      "rule_code" varchar(40) null, "amount" int not null,
      "status" varchar(10) not null check ("status" in ('pending', 'confirmed', 'rejected')),
      "memo" varchar(200) null, "community_id" uuid not null references "administrative_unit" ("id"),
      "created_at" timestamptz not null, "decided_at" timestamptz null, "decided_by" uuid null);`);
    this.addSql(`create index "point_entry_account_idx" on "point_entry" ("account_id", "created_at");`);
    this.addSql(`create index "point_entry_community_status_idx" on "point_entry" ("community_id", "status");`);
    this.addSql(`create table "point_goods" (
      "id" uuid primary key, "community_id" uuid not null references "administrative_unit" ("id"),
      "name" varchar(100) not null, "price" int not null check ("price" between 1 and 100000),
      "stock" int not null check ("stock" >= 0), "active" boolean not null default true,
      "created_at" timestamptz not null, "updated_at" timestamptz not null);`);
    this.addSql(`create index "point_goods_community_idx" on "point_goods" ("community_id");`);
    this.addSql(`create table "point_exchange" (
      "id" uuid primary key, "goods_id" uuid not null references "point_goods" ("id"),
      "account_id" uuid not null references "point_account" ("id"),
      "community_id" uuid not null references "administrative_unit" ("id"),
      "quantity" int not null check ("quantity" between 1 and 100), "points" int not null,
      "status" varchar(10) not null check ("status" in ('reserved', 'confirmed', 'released')),
      "expires_at" timestamptz not null, "created_at" timestamptz not null,
      "decided_at" timestamptz null, "decided_by" uuid null, "release_reason" varchar(20) null);`);
    this.addSql(`create index "point_exchange_community_idx" on "point_exchange" ("community_id", "status", "expires_at");`);
  }

  override down(): void | Promise<void> {
    this.addSql('drop table if exists "point_exchange", "point_goods", "point_entry", "point_account", "point_rule";');
  }

}
