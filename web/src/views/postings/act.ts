// One form's call on a posting: the API's refusal in Chinese (field errors under their fields,
// the rest as one line), a success message, and a busy flag for the button.
import { ref } from 'vue';
import { ElMessage } from 'element-plus';
import { serviceNow } from '../../sandbox';
import { ApiFailure } from '../../api/client';
import { failureText, fieldErrors } from '../../messages/errors';

export function useAction() {
  const errors = ref<Record<string, string>>({});
  const failure = ref('');
  const busy = ref(false);
  async function run<T>(call: () => Promise<T>, done?: string): Promise<T | undefined> {
    errors.value = {};
    failure.value = '';
    busy.value = true;
    try {
      const result = await call();
      if (done) ElMessage.success(done);
      return result;
    } catch (error) {
      if (!(error instanceof ApiFailure)) throw error;
      errors.value = fieldErrors(error.details);
      failure.value = failureText(error);
      if (error.details.length) failure.value += `：${Object.values(errors.value).join('；')}`;
      return undefined;
    } finally {
      busy.value = false;
    }
  }
  return { errors, failure, busy, run };
}

/** Today in Asia/Shanghai as YYYY-MM-DD. */
export const todayShanghai = (now = serviceNow()) => new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
