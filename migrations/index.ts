// Every migration, in order, listed explicitly (no folder discovery).
// `npm run migration:create <name>` writes a new one and adds it here.
import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261121144503_init } from './Migration20261121144503_init.ts';
import { Migration20261121145031_domain } from './Migration20261121145031_domain.ts';
import { Migration20261121145650_dual_commitment } from './Migration20261121145650_dual_commitment.ts';
import { Migration20261121150722_posting } from './Migration20261121150722_posting.ts';
import { Migration20261121151534_star_rating } from './Migration20261121151534_star_rating.ts';
import { Migration20261121151844_report_file } from './Migration20261121151844_report_file.ts';
import { Migration20261121155417_person_personnel_fields } from './Migration20261121155417_person_personnel_fields.ts';
import { Migration20261121164225_resident_unit_catalog } from './Migration20261121164225_resident_unit_catalog.ts';
import { Migration20261121172051_commitment_start_error } from './Migration20261121172051_commitment_start_error.ts';
import { Migration20261121174347_star_rating_end_objections } from './Migration20261121174347_star_rating_end_objections.ts';
import { Migration20261121175642_import_heartbeat } from './Migration20261121175642_import_heartbeat.ts';
import { Migration20261129142934_audit_keyed } from './Migration20261129142934_audit_keyed.ts';
import { Migration20261129144459_refresh_tokens } from './Migration20261129144459_refresh_tokens.ts';
import { Migration20261129150500_posting_quarter_progress } from './Migration20261129150500_posting_quarter_progress.ts';
import { Migration20261129153000_import_error_count } from './Migration20261129153000_import_error_count.ts';
import { Migration20261129173500_document_issuer_numbers } from './Migration20261129173500_document_issuer_numbers.ts';
import { Migration20261129201000_posting_absence_holiday_calendar } from './Migration20261129201000_posting_absence_holiday_calendar.ts';
import { Migration20261129201500_posting_check_in_evidence } from './Migration20261129201500_posting_check_in_evidence.ts';
import { Migration20261129202000_points } from './Migration20261129202000_points.ts';
import { Migration20261129203000_grid_matters } from './Migration20261129203000_grid_matters.ts';
import { Migration20261129204500_notification_delivery } from './Migration20261129204500_notification_delivery.ts';
import { Migration20261129204600_member_report } from './Migration20261129204600_member_report.ts';
import { Migration20261129233000_assessment_schemes } from './Migration20261129233000_assessment_schemes.ts';
import { Migration20261129233500_surveys } from './Migration20261129233500_surveys.ts';
import { Migration20261130024000_assessment_rates } from './Migration20261130024000_assessment_rates.ts';
import { Migration20261130003000_grid_steering } from './Migration20261130003000_grid_steering.ts';
import { Migration20261130023000_assessment_objections } from './Migration20261130023000_assessment_objections.ts';
import { Migration20261130024500_audit_pending } from './Migration20261130024500_audit_pending.ts';
import { Migration20261130030000_direct_deliveries } from './Migration20261130030000_direct_deliveries.ts';
import { Migration20261130031500_assessment_nominations } from './Migration20261130031500_assessment_nominations.ts';
import { Migration20261130060000_assessment_papers } from './Migration20261130060000_assessment_papers.ts';
import { Migration20261130064000_assessment_residents } from './Migration20261130064000_assessment_residents.ts';
// <imports>

export const migrations: MigrationObject[] = [
  { name: 'Migration20261121144503_init', class: Migration20261121144503_init },
  { name: 'Migration20261121145031_domain', class: Migration20261121145031_domain },
  { name: 'Migration20261121145650_dual_commitment', class: Migration20261121145650_dual_commitment },
  { name: 'Migration20261121150722_posting', class: Migration20261121150722_posting },
  { name: 'Migration20261121151534_star_rating', class: Migration20261121151534_star_rating },
  { name: 'Migration20261121151844_report_file', class: Migration20261121151844_report_file },
  { name: 'Migration20261121155417_person_personnel_fields', class: Migration20261121155417_person_personnel_fields },
  { name: 'Migration20261121164225_resident_unit_catalog', class: Migration20261121164225_resident_unit_catalog },
  { name: 'Migration20261121172051_commitment_start_error', class: Migration20261121172051_commitment_start_error },
  { name: 'Migration20261121174347_star_rating_end_objections', class: Migration20261121174347_star_rating_end_objections },
  { name: 'Migration20261121175642_import_heartbeat', class: Migration20261121175642_import_heartbeat },
  { name: 'Migration20261129142934_audit_keyed', class: Migration20261129142934_audit_keyed },
  { name: 'Migration20261129144459_refresh_tokens', class: Migration20261129144459_refresh_tokens },
  { name: 'Migration20261129150500_posting_quarter_progress', class: Migration20261129150500_posting_quarter_progress },
  { name: 'Migration20261129153000_import_error_count', class: Migration20261129153000_import_error_count },
  { name: 'Migration20261129173500_document_issuer_numbers', class: Migration20261129173500_document_issuer_numbers },
  { name: 'Migration20261129201000_posting_absence_holiday_calendar', class: Migration20261129201000_posting_absence_holiday_calendar },
  { name: 'Migration20261129201500_posting_check_in_evidence', class: Migration20261129201500_posting_check_in_evidence },
  { name: 'Migration20261129202000_points', class: Migration20261129202000_points },
  { name: 'Migration20261129203000_grid_matters', class: Migration20261129203000_grid_matters },
  { name: 'Migration20261129204500_notification_delivery', class: Migration20261129204500_notification_delivery },
  { name: 'Migration20261129204600_member_report', class: Migration20261129204600_member_report },
  { name: 'Migration20261129233000_assessment_schemes', class: Migration20261129233000_assessment_schemes },
  { name: 'Migration20261129233500_surveys', class: Migration20261129233500_surveys },
  { name: 'Migration20261130003000_grid_steering', class: Migration20261130003000_grid_steering },
  { name: 'Migration20261130023000_assessment_objections', class: Migration20261130023000_assessment_objections },
  { name: 'Migration20261130024000_assessment_rates', class: Migration20261130024000_assessment_rates },
  { name: 'Migration20261130024500_audit_pending', class: Migration20261130024500_audit_pending },
  { name: 'Migration20261130030000_direct_deliveries', class: Migration20261130030000_direct_deliveries },
  { name: 'Migration20261130031500_assessment_nominations', class: Migration20261130031500_assessment_nominations },
  { name: 'Migration20261130060000_assessment_papers', class: Migration20261130060000_assessment_papers },
  { name: 'Migration20261130064000_assessment_residents', class: Migration20261130064000_assessment_residents },
  // <list>
];
