// The page readers of the Excel export: every row once, in order, across page boundaries.
import { describe, expect, it } from '@jest/globals';
import { keysetPages, pagesOf } from '../../api/services/export/xlsx.ts';

const rows = Array.from({ length: 23 }, (_, i) => ({ name: `n${String(i % 7)}`, id: String(100 + i) }))
  .sort((a, b) => (a.name === b.name ? a.id.localeCompare(b.id) : a.name.localeCompare(b.name)));

async function all<T>(pages: AsyncIterable<T[]>) {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('export pages', () => {
  it('keyset: the rows after the last (name, id) seen, page by page, until a short page', async () => {
    const reads: ({ name: string; id: string } | null)[] = [];
    const read = async (after: { name: string; id: string } | null, size: number) => {
      reads.push(after);
      const rest = after ? rows.filter((r) => r.name > after.name || (r.name === after.name && r.id > after.id)) : rows;
      return rest.slice(0, size);
    };
    const pages = await all(keysetPages(read, (r) => ({ name: r.name, id: r.id }), 5));
    expect(pages.map((p) => p.length)).toEqual([5, 5, 5, 5, 3]);
    expect(pages.flat()).toEqual(rows);
    expect(reads[1]).toEqual(rows[4]);
  });

  it('keyset: a list that fills its last page exactly ends with one empty read', async () => {
    let calls = 0;
    const read = async (after: { id: string } | null, size: number) => {
      calls++;
      const rest = after ? rows.filter((r) => r.id > after.id) : rows;
      return [...rest].sort((a, b) => a.id.localeCompare(b.id)).slice(0, size);
    };
    const pages = await all(keysetPages(read, (r) => ({ id: r.id }), 23));
    expect(pages.flat()).toHaveLength(23);
    expect(calls).toBe(2);
  });

  it('offset: limit/offset pages until a short page', async () => {
    const pages = await all(pagesOf(async (limit, offset) => rows.slice(offset, offset + limit), 10));
    expect(pages.map((p) => p.length)).toEqual([10, 10, 3]);
  });
});
