// The units the caller may see, read page by page once per page visit, as a list and as a tree.
import { ref } from 'vue';
import { api, ask } from '../../api/client';

export interface UnitRow { id: string; code: string; name: string; level: string; parentId: string | null; depth: number; partyOrgName: string }
export interface UnitNode extends UnitRow { children: UnitNode[] }

export function useUnits() {
  const units = ref<UnitRow[]>([]);
  const tree = ref<UnitNode[]>([]);
  async function load() {
    const all: UnitRow[] = [];
    for (let offset = 0; ; offset += 200) {
      const page = await ask(() => api.GET('/units', { params: { query: { limit: 200, offset } } }));
      all.push(...(page.items as UnitRow[]));
      if (all.length >= page.total || page.items.length === 0) break;
    }
    units.value = all;
    const nodes = new Map(all.map((u) => [u.id, { ...u, children: [] as UnitNode[] }]));
    const roots: UnitNode[] = [];
    for (const node of nodes.values()) {
      const parent = node.parentId ? nodes.get(node.parentId) : undefined;
      if (parent) parent.children.push(node);
      else roots.push(node);
    }
    tree.value = roots;
  }
  return { units, tree, load };
}
