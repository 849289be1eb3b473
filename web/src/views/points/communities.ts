// The communities in the caller's subtrees (for the points and 双报到 forms' community choice).
import { ref } from 'vue';
import { api, ask } from '../../api/client';

export function useCommunities() {
  const communities = ref<{ id: string; name: string }[]>([]);
  const load = async () => {
    const page = await ask(() => api.GET('/units', { params: { query: { level: 'community', limit: 200, offset: 0 } } }));
    communities.value = page.items.map((u) => ({ id: u.id, name: u.name }));
    return communities.value;
  };
  return { communities, load };
}
