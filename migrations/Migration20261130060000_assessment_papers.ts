import { Migration } from '@mikro-orm/migrations';

/**
 * The papers of each assessed person or unit of a round (issue 19): the SHA-256 of its 考核评分表
 * (printed when the sign-off chain is complete) and of its 考核结果通知书 (printed when 公示 begins),
 * as filed in the report store by the round's workflow; null until printed, or for schemes without papers.
 */
export class Migration20261130060000_assessment_papers extends Migration {

  override name = 'Migration20261130060000_assessment_papers';

  override up(): void | Promise<void> {
    this.addSql('alter table "assessment_subject" add column "score_sheet_sha256" varchar(64) null, add column "notice_sha256" varchar(64) null;');
  }

  override down(): void | Promise<void> {
    this.addSql('alter table "assessment_subject" drop column "score_sheet_sha256", drop column "notice_sha256";');
  }
}
