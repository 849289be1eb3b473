// Schemas of the points routes (先锋指数 + 文明积分, 积分兑换超市): params, bodies, querystrings
// and answers as the handlers return them. Dates are ISO strings.
import Type from 'typebox';
import { ENTRY_KINDS, ENTRY_STATUSES, EXCHANGE_STATUSES, HOLDER_KINDS } from '../../domain/points/contracts.ts';
import { DateTime, Nullable, Page, PageQuery, Uuid } from './common.ts';

const id = '0b6f2d5e-3c1a-4f7e-9a55-1f2e3d4c5b6a';
const at = '2026-04-02T08:00:00.000Z';
const HolderKind = Type.Enum([...HOLDER_KINDS], { description: 'member 在职党员（先锋指数）/ resident 居民（文明积分）' });

export const Holder = Type.Union([
  Type.Object({ kind: Type.Literal('member'), personId: Uuid }, { additionalProperties: false }),
  Type.Object({
    kind: Type.Literal('resident'),
    phone: Type.String({ minLength: 1, maxLength: 20, description: '11-digit mobile number' }),
    name: Type.Optional(Type.String({ maxLength: 100 })),
  }, { additionalProperties: false }),
]);

export const RuleBody = Type.Object({
  unitId: Uuid,
  code: Type.String({ minLength: 1, maxLength: 40 }),
  label: Type.String({ minLength: 1, maxLength: 100 }),
  holderKind: HolderKind,
  points: Type.Integer({ minimum: 1, maximum: 1000 }),
  needsConfirmation: Type.Optional(Type.Boolean({ default: true })),
}, { examples: [{ unitId: id, code: 'member_service', label: '在职党员社区服务', holderKind: 'member', points: 12, needsConfirmation: true }] });
export const Rule = Type.Object({
  id: Nullable(Uuid),
  unitId: Nullable(Uuid),
  unitName: Nullable(Type.String()),
  code: Type.String(),
  label: Type.String(),
  holderKind: HolderKind,
  points: Type.Integer(),
  needsConfirmation: Type.Boolean(),
  isDefault: Type.Boolean(),
});
export const RuleList = Type.Object({ items: Type.Array(Rule) });

export const CreditBody = Type.Object({
  sourceKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200,
    description: 'the business key of what earned the points; posting it again credits nothing' })),
  holder: Holder,
  ruleCode: Type.String({ minLength: 1, maxLength: 40 }),
  communityId: Uuid,
  memo: Type.Optional(Type.String({ maxLength: 200 })),
}, { examples: [{ sourceKey: 'volunteer/2026-04-02/13800000001', holder: { kind: 'resident', phone: '13800000001' }, ruleCode: 'volunteer_activity',
  communityId: id }] });
export const Posted = Type.Object({
  entryId: Uuid, sourceKey: Type.String(), accountId: Uuid, amount: Type.Integer(), status: Type.Enum([...ENTRY_STATUSES]), created: Type.Boolean(),
});

export const EntryQuery = Type.Object({
  status: Type.Optional(Type.Enum([...ENTRY_STATUSES])),
  accountId: Type.Optional(Uuid),
  ...PageQuery,
}, { additionalProperties: false });
const entryExample = {
  id, accountId: id, displayName: '王甲', holderKind: 'member', sourceKey: 'member-service/x', kind: 'earn', ruleCode: 'member_service',
  amount: 10, status: 'pending', memo: null, communityId: id, communityName: '甲社区', createdAt: at, decidedAt: null,
};
export const Entry = Type.Object({
  id: Uuid, accountId: Uuid, displayName: Type.String(), holderKind: HolderKind, sourceKey: Type.String(), kind: Type.Enum([...ENTRY_KINDS]),
  ruleCode: Nullable(Type.String()), amount: Type.Integer(), status: Type.Enum([...ENTRY_STATUSES]), memo: Nullable(Type.String()),
  communityId: Uuid, communityName: Type.String(), createdAt: DateTime, decidedAt: Nullable(DateTime),
});
export const EntryList = Page(Entry, entryExample);

export const AccountQuery = Type.Object({
  kind: Type.Optional(HolderKind),
  q: Type.Optional(Type.String({ maxLength: 50, description: 'name or phone contains' })),
  ...PageQuery,
}, { additionalProperties: false });
const accountExample = { id, holderKind: 'resident', holderRef: '13800000001', displayName: '居民0001', communityId: id, communityName: '甲社区',
  balance: 15, earned: 20, spent: 5, pending: 0 };
export const Account = Type.Object({
  id: Uuid, holderKind: HolderKind, holderRef: Type.String(), displayName: Type.String(), communityId: Uuid, communityName: Type.String(),
  balance: Type.Integer({ description: 'Σ confirmed entries' }), earned: Type.Integer(), spent: Type.Integer(), pending: Type.Integer(),
});
export const AccountList = Page(Account, accountExample);
export const AccountDetail = Type.Object({ account: Account, entries: Type.Array(Entry),
  ledgerSum: Type.Integer({ description: 'Σ confirmed entries, read from the ledger' }) });
export const MyPoints = Type.Object({ accounts: Type.Array(Account), entries: Type.Array(Entry) });

export const GoodsQuery = Type.Object({ communityId: Type.Optional(Uuid), ...PageQuery }, { additionalProperties: false });
export const GoodsBody = Type.Object({
  communityId: Uuid,
  name: Type.String({ minLength: 1, maxLength: 100 }),
  price: Type.Integer({ minimum: 1, maximum: 100000 }),
  stock: Type.Integer({ minimum: 0, maximum: 1_000_000 }),
}, { examples: [{ communityId: id, name: '洗衣液', price: 20, stock: 10 }] });
export const GoodsPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  price: Type.Optional(Type.Integer({ minimum: 1, maximum: 100000 })),
  addStock: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000, description: 'stock added (negative: taken out)' })),
  active: Type.Optional(Type.Boolean()),
}, { minProperties: 1, examples: [{ addStock: 5 }] });
const goodsExample = { id, communityId: id, communityName: '甲社区', name: '洗衣液', price: 20, stock: 10, reserved: 0, active: true };
export const Goods = Type.Object({
  id: Uuid, communityId: Uuid, communityName: Type.String(), name: Type.String(), price: Type.Integer(),
    stock: Type.Integer({ description: 'on the shelf, not reserved' }),
  reserved: Type.Integer(), active: Type.Boolean(),
});
export const GoodsList = Page(Goods, goodsExample);

export const ExchangeBody = Type.Object({
  requestId: Uuid,
  goodsId: Uuid,
  holder: Holder,
  quantity: Type.Integer({ minimum: 1, maximum: 100 }),
}, { examples: [{ requestId: id, goodsId: id, holder: { kind: 'resident', phone: '13800000001' }, quantity: 1 }] });
export const ExchangeQuery = Type.Object({ status: Type.Optional(Type.Enum([...EXCHANGE_STATUSES])), ...PageQuery }, { additionalProperties: false });
const exchangeExample = {
  id, goodsId: id, goodsName: '洗衣液', accountId: id, displayName: '居民0001', holderRef: '13800000001', communityId: id, quantity: 1, points: 20,
  status: 'reserved', expiresAt: at, createdAt: at, decidedAt: null,
};
export const Exchange = Type.Object({
  id: Uuid, goodsId: Uuid, goodsName: Type.String(), accountId: Uuid, displayName: Type.String(), holderRef: Type.String(), communityId: Uuid,
  quantity: Type.Integer(), points: Type.Integer(), status: Type.Enum([...EXCHANGE_STATUSES]), expiresAt: DateTime, createdAt: DateTime,
    decidedAt: Nullable(DateTime),
});
export const ExchangeList = Page(Exchange, exchangeExample);

export const StatementQuery = Type.Object({
  month: Type.String({ pattern: '^\\d{4}-\\d{2}$', examples: ['2026-04'] }),
  ...PageQuery,
}, { additionalProperties: false });
const statementExample = { accountId: id, displayName: '王甲', holderKind: 'member', holderRef: id, communityName: '甲社区', opening: 0, earned: 10,
  spent: 0, returned: 0, closing: 10 };
export const StatementRow = Type.Object({
  accountId: Uuid, displayName: Type.String(), holderKind: HolderKind, holderRef: Type.String(), communityName: Type.String(),
  opening: Type.Integer(), earned: Type.Integer(), spent: Type.Integer(), returned: Type.Integer(), closing: Type.Integer(),
});
export const StatementList = Type.Object({
  month: Type.String(), items: Type.Array(StatementRow), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer(),
}, { examples: [{ month: '2026-04', items: [statementExample], total: 1, limit: 50, offset: 0 }] });

export const PointsDashboard = Type.Object({
  months: Type.Array(Type.Object({ month: Type.String(), earned: Type.Integer(), spent: Type.Integer(), returned: Type.Integer() })),
  communities: Type.Array(Type.Object({
    communityId: Uuid, communityName: Type.String(), accounts: Type.Integer(), balance: Type.Integer(), earned: Type.Integer(), spent: Type.Integer(),
      pending: Type.Integer(),
  })),
});

export const StatementParams = Type.Object({ id: Uuid, month: Type.String({ pattern: '^\\d{4}-\\d{2}$', examples: ['2026-04'] }) });
export const PdfResponse = {
  description: 'the PDF (application/pdf); its SHA-256 in the x-sha256 header',
  content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
};
