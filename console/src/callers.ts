/**
 * The simulated callers of 模拟用户: kept in the browser's localStorage, shared by every screen
 * that calls as a user. An openid is made as real ones look: "o" and 27 characters.
 */
import { ref, watch } from 'vue';
import type { Caller } from './api';

const KEY = 'local-cloud-console.callers';
const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

function load(): Caller[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(KEY) ?? '[]');
    return Array.isArray(value)
      ? value.filter((c): c is Caller => !!c && typeof (c as Caller).openid === 'string')
      : [];
  } catch {
    return [];
  }
}

export const callers = ref<Caller[]>(load());
export const currentOpenid = ref<string>(callers.value[0]?.openid ?? '');

watch(callers, (value) => localStorage.setItem(KEY, JSON.stringify(value)), { deep: true });

export function randomId(first: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(27));
  return first + Array.from(bytes, (b) => ID_CHARS[b % ID_CHARS.length]).join('');
}

export function addCaller(caller: Caller): void {
  if (!callers.value.some((c) => c.openid === caller.openid)) callers.value.push(caller);
  currentOpenid.value = caller.openid;
}

export const currentCaller = (): Caller | undefined => callers.value.find((c) => c.openid === currentOpenid.value);
