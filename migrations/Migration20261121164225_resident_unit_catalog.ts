import { Migration } from '@mikro-orm/migrations';

export class Migration20261121164225_resident_unit_catalog extends Migration {

  override name = 'Migration20261121164225_resident_unit_catalog';

  override up(): void | Promise<void> {
    this.addSql(`alter table "catalog_version" drop constraint "catalog_version_kind_check";`);
    this.addSql(`alter table "catalog_version" add constraint "catalog_version_kind_check" check ("kind" in ('dual_commitment', 'resident_unit_commitment', 'star_rating', 'incentive'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "catalog_version" drop constraint "catalog_version_kind_check";`);
    this.addSql(`alter table "catalog_version" add constraint "catalog_version_kind_check" check ("kind" in ('dual_commitment', 'star_rating', 'incentive'));`);
  }

}
