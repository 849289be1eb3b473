import { Migration } from '@mikro-orm/migrations';

/** A check-in may carry where the secretary was (browser geolocation) and a photo filed as evidence. */
export class Migration20261129201500_posting_check_in_evidence extends Migration {

  override name = 'Migration20261129201500_posting_check_in_evidence';

  override up(): void | Promise<void> {
    this.addSql(`alter table "posting_check_in" add column "latitude" double precision null, add column "longitude" double precision null, add column "accuracy_m" real null, add column "photo_evidence_id" uuid null;`);
    this.addSql(`alter table "posting_check_in" add constraint "posting_check_in_photo_evidence_id_foreign" foreign key ("photo_evidence_id") references "evidence_file" ("id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "posting_check_in" drop constraint "posting_check_in_photo_evidence_id_foreign";`);
    this.addSql(`alter table "posting_check_in" drop column "latitude", drop column "longitude", drop column "accuracy_m", drop column "photo_evidence_id";`);
  }

}
