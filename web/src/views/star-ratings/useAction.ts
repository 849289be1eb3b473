// One action of a star-rating panel: busy while it runs, the API's refusal as one line and
// its field errors in Chinese (keyed by the field path without "body."), a success message.
import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import { ApiFailure } from '../../api/client';
import { failureText, fieldErrors } from '../../messages/errors';

export function useAction() {
  const busy = ref('');
  const failure = ref('');
  const errors = ref<Record<string, string>>({});
  async function run(name: string, call: () => Promise<unknown>, done = '操作成功'): Promise<boolean> {
    busy.value = name;
    failure.value = '';
    errors.value = {};
    try {
      await call();
      ElMessage.success(done);
      return true;
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      failure.value = failureText(error);
      errors.value = fieldErrors(error.details);
      return false;
    } finally {
      busy.value = '';
    }
  }
  return { busy, failure, errors, run };
}

/** A date as people read it in Shanghai. */
export const day = (iso: string | null | undefined) => (iso ? new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10) : '—');
