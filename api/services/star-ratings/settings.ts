// The department's star-rating settings after enrolment. Writes what the department filed:
// the settings of its latest star_rating cycle (rounds not yet started load them).
import type { Static } from 'typebox';
import { badRequest, notFound } from '../../../domain/errors.ts';
import { recordAudit } from '../../../domain/audit/record.ts';
import { Cycle } from '../../../domain/entities/cycle.ts';
import { enrolmentRuleProblem, type EnrolmentRule } from '../../../domain/star-rating/rules.ts';
import { DEFAULT_STAR_SETTINGS, resolveStarSettings } from '../../../domain/star-rating/calendar.ts';
import { starCycleInForce } from '../../../domain/star-rating/records.ts';
import type { SettingsPatch, SettingsView } from '../../schemas/star-ratings.ts';
import { auditActorOf, departmentUnit, type Caller } from './access.ts';

type View = Static<typeof SettingsView>;

const viewOf = (unitId: string, cycle: Cycle): View => {
  const { settings } = resolveStarSettings(cycle.settings);
  const enrolment = (cycle.settings.enrolment as EnrolmentRule | undefined) ?? null;
  return { unitId, cycleId: cycle.id, year: cycle.year, settings: { ...settings, enrolment }, given: cycle.settings };
};

async function cycleOf(caller: Caller, unitId: string | undefined) {
  const unit = await departmentUnit(caller, unitId, 'unitId');
  const cycle = await starCycleInForce(caller.em, unit.id);
  if (!cycle) throw notFound('star rating of this jurisdiction');
  return { unit, cycle };
}

export async function settingsInForce(caller: Caller, unitId: string | undefined): Promise<View> {
  const { unit, cycle } = await cycleOf(caller, unitId);
  return viewOf(unit.id, cycle);
}

/** Only the keys given change (null removes one); every bad field is named; audited with before and after. */
export async function changeSettings(caller: Caller, body: Static<typeof SettingsPatch>): Promise<View> {
  const { unit, cycle } = await cycleOf(caller, body.unitId);
  const given = body.settings ?? {};
  const known = new Set([...Object.keys(DEFAULT_STAR_SETTINGS), 'autoIndicators']);
  const unknown = Object.keys(given).filter((k) => !known.has(k));
  const unknownRule = `is not a star-rating setting (known: ${[...known].join(', ')})`;
  if (unknown.length) throw badRequest('unknown settings', unknown.map((k) => ({ field: `body.settings.${k}`, rule: unknownRule })));
  const next: Record<string, unknown> = { ...cycle.settings, ...given };
  for (const [k, v] of Object.entries(given)) if (v === null) delete next[k];
  const { problems } = resolveStarSettings(next);
  const details = problems.map((p) => ({ field: `body.${p.field}`, rule: p.rule }));
  if (body.enrolment) {
    const current = cycle.settings.enrolment as EnrolmentRule | undefined;
    const ruleProblem = enrolmentRuleProblem(body.enrolment, current?.mode === 'share' ? current.share : null);
    if (ruleProblem) details.push({ field: 'body.enrolment', rule: ruleProblem });
    next.enrolment = body.enrolment;
  }
  if (details.length) throw badRequest('the star-rating settings are invalid', details);
  const before = cycle.settings;
  await caller.em.transactional(async (tx) => {
    await tx.nativeUpdate(Cycle, { id: cycle.id }, { settings: next });
    const actor = auditActorOf(caller.principal);
    await recordAudit(tx, { actor, action: 'star_rating.settings_change', entityType: 'cycle', entityId: cycle.id, before, after: next });
  });
  cycle.settings = next;
  return { ...viewOf(unit.id, cycle), appliesTo: 'rounds not yet started; running rounds keep the settings they started with' };
}
