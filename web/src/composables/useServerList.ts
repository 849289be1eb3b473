// A list read page by page from the server: the page and its size, the filters that narrow it,
// an optional sort, and the loading and error states every table shows. A changed filter or
// sort goes back to the first page; a page past the end (the last row of the last page was
// removed) steps back to the last page that has rows. The error is the API's refusal in Chinese.
import { reactive, ref, shallowRef, type Ref, type UnwrapNestedRefs } from 'vue';
import { ApiFailure } from '../api/client';
import { failureText } from '../messages/errors';

export interface PageRequest<F> {
  filters: F;
  limit: number;
  offset: number;
  sort: { prop: string; order: 'asc' | 'desc' } | null;
}

export interface ServerListOptions<F> {
  /** The filters as they start (and as reset() puts them back). */
  filters: F;
  pageSize?: number;
  sort?: { prop: string; order: 'asc' | 'desc' } | null;
}

export function useServerList<T, F extends object>(
  fetchPage: (request: PageRequest<F>) => Promise<{ items: T[]; total: number }>,
  options: ServerListOptions<F>,
) {
  const initial = structuredClone(options.filters);
  const filters = reactive(structuredClone(options.filters)) as UnwrapNestedRefs<F>;
  const items = shallowRef<T[]>([]) as Ref<T[]>;
  const total = ref(0);
  const page = ref(1);
  const pageSize = ref(options.pageSize ?? 20);
  const sort = ref(options.sort ?? null);
  const loading = ref(false);
  const error = ref('');
  let serial = 0;

  async function load(): Promise<void> {
    const mine = ++serial;
    loading.value = true;
    error.value = '';
    try {
      const result = await fetchPage({ filters: filters as F, limit: pageSize.value, offset: (page.value - 1) * pageSize.value, sort: sort.value });
      // A slower answer to an earlier request must not overwrite a newer one.
      if (mine !== serial) return;
      if (result.items.length === 0 && result.total > 0 && page.value > 1) {
        page.value = Math.max(1, Math.ceil(result.total / pageSize.value));
        return load();
      }
      items.value = result.items;
      total.value = result.total;
    } catch (e) {
      if (mine !== serial) return;
      error.value = e instanceof ApiFailure ? failureText(e) : String(e);
    } finally {
      if (mine === serial) loading.value = false;
    }
  }

  /** After a filter changed: the first page again. */
  function reload(): Promise<void> {
    page.value = 1;
    return load();
  }

  function reset(): Promise<void> {
    Object.assign(filters, structuredClone(initial));
    return reload();
  }

  /** For el-table's sort-change: {prop, order: 'ascending' | 'descending' | null}. */
  function onSortChange({ prop, order }: { prop: string | null; order: string | null }): Promise<void> {
    sort.value = prop && order ? { prop, order: order === 'descending' ? 'desc' : 'asc' } : options.sort ?? null;
    return reload();
  }

  return { filters, items, total, page, pageSize, sort, loading, error, load, reload, reset, onSortChange };
}
