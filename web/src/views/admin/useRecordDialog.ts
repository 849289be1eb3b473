// The edit dialog of a directory list (an organization, a person): open, busy while saving, the API's field errors
// next to their fields in Chinese (else the refusal as a message), 已保存 and the list read again after a save.
import { computed, ref } from 'vue';
import { ElMessage } from 'element-plus';
import { ApiFailure } from '../../api/client';
import { hasRole } from '../../session';
import { failureText } from '../../messages/errors';
import { adminFieldErrors, adminText as t } from '../../messages/admin';

/** Who keeps the directory: add, import and edit. */
export const useDirectoryWriter = () => computed(() => hasRole('org_department', 'street_committee', 'community_committee', 'admin'));

export function useRecordDialog(write: () => Promise<unknown>, after: () => Promise<void>) {
  const editing = ref(false);
  const busy = ref(false);
  const errors = ref<Record<string, string>>({});
  function open() {
    errors.value = {};
    editing.value = true;
  }
  async function save() {
    busy.value = true;
    errors.value = {};
    try {
      await write();
      ElMessage.success(t.saved);
      editing.value = false;
      await after();
    } catch (e) {
      if (e instanceof ApiFailure) {
        errors.value = adminFieldErrors(e.details);
        if (!e.details.length) ElMessage.error(failureText(e));
      } else ElMessage.error(String(e));
    } finally {
      busy.value = false;
    }
  }
  return { editing, busy, errors, open, save };
}
