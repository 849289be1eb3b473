// Lists people read by name (organizations, people, compounds) sort as Chinese readers expect, by
// pinyin (阿 安 白 陈 … 王 仙 张 赵), not by code point (仙 before 安, 王 before 白). PostgreSQL's
// ICU collation zh-x-icu does that; the embedded PostgreSQL is built with ICU (its pg_collation has
// 724 ICU collations, zh-x-icu among them), and a server of your own needs ICU too (every PGDG and
// distribution build has it). The one place that names the collation.
import { raw } from '@mikro-orm/core';

export const NAME_COLLATION = 'zh-x-icu';

/** SQL of a name column in pinyin order, for ORDER BY and for keyset comparisons (`column` is a trusted column name). */
export const byName = (column: string) => `${column} collate "${NAME_COLLATION}"`;

/** A MikroORM orderBy: the entity's `name` in pinyin order, then its id (MikroORM takes a raw key and a field only in separate objects). */
export const nameOrder = () => [{ [raw((alias: string) => byName(`${alias}.name`))]: 'asc' }, { id: 'asc' }] as Record<string, 'asc'>[];
