// What the three public pages (commitment notice, staff survey, star-rating objection) share:
// the page read by the token in the path, one form checked here before it is sent, the API's
// refusal shown in Chinese under the field, and the states a resident sees (bad link, sent,
// window closed). Each page gives its own read, check and send.
import { onMounted, ref, type Ref } from 'vue';
import { useRoute } from 'vue-router';
import { ApiFailure } from '../api/client';
import { failureText, fieldErrors } from '../messages/errors';

export interface PublicFormOptions<P> {
  /** Reads the page for this token. */
  load: (token: string) => Promise<P>;
  /** Checks the form before sending; returns the message to show, or nothing when it may go. */
  check: () => string | undefined;
  /** Sends the form for this token. */
  send: (token: string) => Promise<unknown>;
  /** The API's code for "this window is no longer open". */
  closedCode: string;
  /** How a refused field is named before its rule (e.g. answers.wages → 第2题), when the rule alone would not say. */
  fieldLabel?: (field: string) => string | undefined;
  /** Whether a failure means the link is bad (default: any failure while reading, none while sending). */
  missingOn?: (failure: ApiFailure, when: 'load' | 'send') => boolean;
}

export function usePublicForm<P>(options: PublicFormOptions<P>) {
  const token = String(useRoute().params.token);
  const missingOn = options.missingOn ?? ((_failure, when) => when === 'load');
  const page = ref<P>() as Ref<P | undefined>;
  const missing = ref(false);
  const error = ref('');
  const sent = ref(false);
  const closed = ref(false);
  const busy = ref(false);

  async function send() {
    error.value = options.check() ?? '';
    if (error.value) return;
    busy.value = true;
    try {
      await options.send(token);
      sent.value = true;
    } catch (failure) {
      if (!(failure instanceof ApiFailure)) throw failure;
      if (missingOn(failure, 'send')) missing.value = true;
      if (failure.code === options.closedCode) closed.value = true;
      const [field, rule] = Object.entries(fieldErrors(failure.details))[0] ?? [];
      const label = field ? options.fieldLabel?.(field) : undefined;
      error.value = rule ? (label ? `${label}：${rule}` : rule) : failureText(failure);
    } finally {
      busy.value = false;
    }
  }

  onMounted(async () => {
    try {
      page.value = await options.load(token);
    } catch (failure) {
      if (!(failure instanceof ApiFailure)) throw failure;
      missing.value = missingOn(failure, 'load');
    }
  });

  return { token, page, missing, error, sent, closed, busy, send };
}

/** A date of the publication window as a resident reads it. */
export const publicDay = (iso: string) => new Date(iso).toLocaleDateString('zh-CN', { timeZone: 'Asia/Shanghai' });
