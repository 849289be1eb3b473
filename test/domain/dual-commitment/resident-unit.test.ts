// The 四双 variant for resident units (驻区单位): variant selection, the catalog, and the
// validators of the street/community reviewer and the 写实评价.
import { describe, expect, it } from '@jest/globals';
import Value from 'typebox/value';
import { superiorOf, validateCommitmentSet, variantForKind, type CatalogItemRef, type CommitmentDraft } from '../../../domain/dual-commitment/rules.ts';
import { apply, initialState, refusal, type Action, type Actor, type DualCommitmentState } from '../../../domain/dual-commitment/state.ts';
import { defaultResidentUnitCatalog } from '../../../domain/catalogs/resident-unit.ts';
import { DualCommitmentCatalogSchema } from '../../../domain/catalogs/schemas.ts';
import { catalogRuleViolations } from '../../../domain/catalogs/rules.ts';

const actor = (role: string): Actor => ({ accountId: `acc-${role}`, login: role, roles: [role] });
const items = [
  { key: 'p1', side: 'party' as const, dueAt: '2026-06-30T16:00:00.000Z' },
  { key: 'u1', side: 'enterprise' as const, dueAt: '2026-09-30T16:00:00.000Z' },
];

function take(state: DualCommitmentState, action: Action) {
  expect(refusal(state, action)).toBeNull();
  apply(state, action);
}

/** A 四双 state approved and in 评诺. */
function evaluating(): DualCommitmentState {
  const s = initialState('resident_unit');
  take(s, { kind: 'submit', actor: actor('enterprise_party_org'), version: 1, items });
  take(s, { kind: 'review', actor: actor('community_committee'), version: 1, decision: 'approve', comments: '' });
  s.gate = 'evaluate';
  return s;
}

describe('四双 variant selection and catalog', () => {
  it('chooses the variant by the organization kind', () => {
    expect(variantForKind('resident_unit')).toBe('resident_unit');
    expect(variantForKind('non_public_enterprise')).toBe('enterprise');
    expect(variantForKind('social_organization')).toBe('enterprise');
    expect(initialState().variant).toBe('enterprise');
  });

  it('ships a valid default catalog of both sides, marked to be replaced', () => {
    expect(Value.Check(DualCommitmentCatalogSchema, defaultResidentUnitCatalog)).toBe(true);
    expect(catalogRuleViolations('dual_commitment', defaultResidentUnitCatalog)).toEqual([]);
    expect(defaultResidentUnitCatalog.notice).toBe('默认目录，请各地替换');
    const names = [...defaultResidentUnitCatalog.partySide.areas, ...defaultResidentUnitCatalog.enterpriseSide.areas].map((a) => a.name);
    expect(names).toEqual(expect.arrayContaining(['双向协商', '双向服务']));
    const refs: CatalogItemRef[] = defaultResidentUnitCatalog.enterpriseSide.areas.flatMap((a) => a.items.map((i) => ({ code: i.code, side: 'enterprise' as const, area: a.name })));
    const draft = (side: 'party' | 'enterprise', code: string | null): CommitmentDraft => ({
      key: `${side}-${code}`, side, catalogItemCode: code, title: '在职党员到社区报到', content: '组织在职党员报到', target: '报到率100%', indicator: '每人每年服务不少于2次', deadline: '2026-11-30', responsiblePerson: { name: '王强' },
    });
    expect(validateCommitmentSet([draft('party', null), draft('enterprise', 'RU2-01')], { from: '2026-01-01', to: '2026-11-30' }, refs)).toEqual([]);
    expect(validateCommitmentSet([draft('party', null), draft('enterprise', 'E1-01')], { from: '2026-01-01', to: '2026-11-30' }, refs)[0]!.rule).toBe('is not an item of the cycle catalog');
  });
});

describe('四双 validators', () => {
  it('lets only the street or community review, and each side file its own items', () => {
    const s = initialState('resident_unit');
    take(s, { kind: 'submit', actor: actor('enterprise_rep'), version: 1, items });
    expect(refusal(s, { kind: 'review', actor: actor('evaluator'), version: 1, decision: 'approve', comments: '' })?.type).toBe('WrongRole');
    expect(refusal(s, { kind: 'review', actor: actor('org_department'), version: 1, decision: 'approve', comments: '' })?.type).toBe('WrongRole');
    take(s, { kind: 'review', actor: actor('street_committee'), version: 1, decision: 'approve', comments: '' });
    s.gate = 'practice';
    expect(refusal(s, { kind: 'fileItemStatus', actor: actor('enterprise_party_org'), itemKey: 'p1', status: 'fulfilled' })?.type).toBe('WrongRole');
    expect(refusal(s, { kind: 'fileItemStatus', actor: actor('community_committee'), itemKey: 'p1', status: 'fulfilled' })).toBeNull();
    expect(refusal(s, { kind: 'fileItemStatus', actor: actor('enterprise_party_org'), itemKey: 'u1', status: 'partly' })).toBeNull();
    expect(refusal(s, { kind: 'fileItemStatus', actor: actor('community_committee'), itemKey: 'u1', status: 'partly' })?.type).toBe('WrongRole');
  });

  it('ends 评诺 with one 写实评价 by the street or community, then the countersignature; no score', () => {
    const s = evaluating();
    const write = (who: string, text: string, itemStatuses: { itemKey: string; status: 'fulfilled' | 'partly' | 'not_fulfilled' }[] = []): Action => ({ kind: 'factualEvaluate', actor: actor(who), text, itemStatuses });
    expect(refusal(s, { kind: 'score', actor: actor('evaluator') })?.type).toBe('WrongState');
    expect(refusal(s, { kind: 'signOff', actor: actor('evaluator') })?.type).toBe('WrongState');
    expect(refusal(s, { kind: 'countersign', actor: actor('org_department') })?.type).toBe('WrongState');
    expect(refusal(s, write('evaluator', '全年积极参与'))?.type).toBe('WrongRole');
    expect(refusal(s, write('enterprise_party_org', '全年积极参与'))?.type).toBe('WrongRole');
    expect(refusal(s, write('community_committee', '   '))?.type).toBe('Invalid');
    expect(refusal(s, write('community_committee', '全年积极参与', [{ itemKey: 'x9', status: 'fulfilled' }]))?.type).toBe('UnknownItem');
    take(s, write('community_committee', '全年积极参与共建，在职党员报到率100%。', [{ itemKey: 'u1', status: 'partly' }]));
    expect(s.factualEvaluatedBy).toBe('acc-community_committee');
    expect(refusal(s, write('street_committee', '再写一次'))?.type).toBe('AlreadyDecided');
    expect(refusal(s, { kind: 'selfEvaluate', actor: actor('enterprise_rep'), side: 'enterprise' })?.type).toBe('AlreadyDecided');
    expect(refusal(s, { kind: 'countersign', actor: actor('community_committee') })?.type).toBe('WrongRole');
    take(s, { kind: 'countersign', actor: actor('org_department') });
    expect(refusal(s, { kind: 'countersign', actor: actor('org_department') })?.type).toBe('AlreadyDecided');
  });

  it('refuses a 写实评价 outside 评诺 and in the enterprise variant', () => {
    const s = evaluating();
    s.gate = 'practice';
    expect(refusal(s, { kind: 'factualEvaluate', actor: actor('community_committee'), text: '文字', itemStatuses: [] })?.type).toBe('WrongGate');
    const enterprise = initialState();
    enterprise.gate = 'evaluate';
    expect(refusal(enterprise, { kind: 'factualEvaluate', actor: actor('community_committee'), text: '文字', itemStatuses: [] })?.type).toBe('WrongState');
  });

  it('finds the superior Party organization given with the evaluation, else on the unit', () => {
    expect(superiorOf([], { name: ' 中共市税务局委员会 ', contact: '' })).toEqual({ name: '中共市税务局委员会', contact: null });
    expect(superiorOf([{ role: '上级党组织', name: '中共市财政局党组', phone: '0537-1' }], null)).toEqual({ name: '中共市财政局党组', contact: '0537-1' });
    expect(superiorOf([{ role: '负责人', name: '张三' }], null)).toBeNull();
  });
});
