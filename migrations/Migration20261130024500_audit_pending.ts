import { Migration } from '@mikro-orm/migrations';

/**
 * Audit rows as a change's transaction writes them, before they join the hash chain
 * (domain/audit/append.ts): an insert needs no lock, so unrelated changes no longer queue behind
 * one advisory lock for their whole transaction; the chain run that follows each commit moves
 * every pending row into audit_entry under that lock, in id order. Rows are never updated.
 */
export class Migration20261130024500_audit_pending extends Migration {

  override name = 'Migration20261130024500_audit_pending';

  override up(): void | Promise<void> {
    this.addSql(`create table "audit_pending" (
      "id" bigserial primary key, "at" timestamptz not null, "actor_account_id" uuid null, "actor" varchar(100) not null,
      "action" varchar(100) not null, "entity_type" varchar(50) not null, "entity_id" varchar(100) null,
      "before" jsonb null, "after" jsonb null);`);
    this.addSql(`create or replace function "audit_pending_no_update_fn"() returns trigger as \$\$ begin raise exception 'audit_pending rows are never changed'; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "audit_pending_no_update" before update on "audit_pending" for each row execute function "audit_pending_no_update_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql('drop table if exists "audit_pending";');
    this.addSql('drop function if exists "audit_pending_no_update_fn"();');
  }
}
