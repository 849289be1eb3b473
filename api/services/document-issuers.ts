// The issuer of a district's documents (domain/documents/issuer.ts holds the rule): the
// department reads and edits its full name, seal caption, contact and number prefix, and sees
// its number sequences. Numbers already allocated stay as printed (document_number rows are
// never changed or deleted); a new prefix applies to the numbers allocated after it.
import type { Static } from 'typebox';
import type { EntityManager } from '@mikro-orm/postgresql';
import { changeWithAudit } from '../audited.ts';
import { notFound } from '../../domain/errors.ts';
import type { Principal } from '../../domain/auth/principal.ts';
import { auditActor } from '../../domain/auth/principal.ts';
import { isAdmin } from '../../domain/auth/scope.ts';
import { AdministrativeUnit } from '../../domain/entities/administrative-unit.ts';
import { departmentIssuer, NUMBER_WORD, type DocumentKind } from '../../domain/documents/issuer.ts';
import type { IssuerBody } from '../schemas/document-issuers.ts';
import { iso } from '../schemas/common.ts';

export interface Caller {
  em: EntityManager;
  principal: Principal;
  /** Now on the service clock (the simulated calendar in the sandbox). */
  now: Date;
}

/** Districts (and cities) whose department the caller is, or every one to an administrator. */
async function districtsOf({ em, principal }: Caller): Promise<AdministrativeUnit[]> {
  const units = await em.find(AdministrativeUnit, { level: { $in: ['district', 'city'] } }, { orderBy: { path: 'asc' } });
  if (isAdmin(principal)) return units;
  return units.filter((u) => principal.grants.some((g) => g.role === 'org_department' && g.unitPath && u.path.startsWith(g.unitPath)));
}

async function issuerView(em: EntityManager, unit: AdministrativeUnit) {
  const issuer = (await departmentIssuer(em, unit.id))!;
  const [row] = await em.getConnection().execute<{ updated_at: Date }[]>('select updated_at from document_issuer where unit_id = ?', [unit.id]);
  const sequences = await em.getConnection().execute<{ kind: string; year: number; allocated: string; last: number; last_text: string; last_at: Date }[]>(
    `select kind, year, count(*) as allocated, max(seq) as last,
            (array_agg(text order by seq desc))[1] as last_text, max(created_at) as last_at
       from document_number where issuer_unit_id = ? group by kind, year order by year desc, kind`,
    [unit.id],
  );
  return {
    unitId: unit.id,
    unitName: unit.name,
    departmentName: issuer.name,
    sealCaption: issuer.sealCaption,
    contact: issuer.contact,
    numberPrefix: issuer.numberPrefix,
    configured: Boolean(row),
    updatedAt: iso(row?.updated_at ? new Date(row.updated_at) : null),
    sequences: sequences.map((s) => ({
      kind: s.kind,
      word: NUMBER_WORD[s.kind as DocumentKind] ?? '',
      year: Number(s.year),
      allocated: Number(s.allocated),
      last: Number(s.last),
      lastNumber: s.last_text,
      lastAllocatedAt: new Date(s.last_at).toISOString(),
    })),
  };
}

export async function listIssuers(caller: Caller) {
  const items = [];
  for (const unit of await districtsOf(caller)) items.push(await issuerView(caller.em, unit));
  return { items };
}

async function districtOfCaller(caller: Caller, unitId: string): Promise<AdministrativeUnit> {
  const unit = (await districtsOf(caller)).find((u) => u.id === unitId);
  if (!unit) throw notFound('issuer');
  return unit;
}

export async function getIssuer(caller: Caller, unitId: string) {
  return issuerView(caller.em, await districtOfCaller(caller, unitId));
}

export async function saveIssuer(caller: Caller, unitId: string, body: Static<typeof IssuerBody>) {
  const unit = await districtOfCaller(caller, unitId);
  const before = await issuerView(caller.em, unit);
  const after = {
    departmentName: body.departmentName.trim(),
    sealCaption: body.sealCaption.trim(),
    contact: body.contact?.trim() || null,
    numberPrefix: body.numberPrefix,
  };
  const audit = {
    action: 'document_issuer.save', entityType: 'administrative_unit', entityId: unit.id,
    before: before.configured
      ? { departmentName: before.departmentName, sealCaption: before.sealCaption, contact: before.contact, numberPrefix: before.numberPrefix }
      : null,
    after,
  };
  await changeWithAudit(caller.em, auditActor(caller.principal), audit, async (tx) => {
    await tx.execute(
      `insert into document_issuer (unit_id, department_name, seal_caption, contact, number_prefix, updated_at) values (?, ?, ?, ?, ?, ?)
       on conflict (unit_id) do update set department_name = excluded.department_name, seal_caption = excluded.seal_caption,
         contact = excluded.contact, number_prefix = excluded.number_prefix, updated_at = excluded.updated_at`,
      [unit.id, after.departmentName, after.sealCaption, after.contact, after.numberPrefix, caller.now],
    );
  });
  return issuerView(caller.em, unit);
}
