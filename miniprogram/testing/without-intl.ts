/**
 * Runs `load` (a `require` of the module under test) as WeChat for Android would: its JavaScript
 * engine has no `Intl` at all ("Intl is not defined"). The module and its imports load fresh;
 * `Intl` is restored afterwards.
 */
export function withoutIntl<T>(load: () => T): T {
  const intl = Object.getOwnPropertyDescriptor(globalThis, 'Intl')!;
  Reflect.deleteProperty(globalThis, 'Intl');
  try {
    let loaded: { value: T } | undefined;
    jest.isolateModules(() => {
      if (typeof Intl !== 'undefined') throw new Error('Intl is still defined');
      loaded = { value: load() };
    });
    return loaded!.value;
  } finally {
    Object.defineProperty(globalThis, 'Intl', intl);
  }
}
