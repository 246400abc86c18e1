/**
 * Ties store subscriptions to a component instance: subscribe in `attached`, `release` in
 * `detached` (instances have no typed place for extra fields).
 */
const held = new WeakMap<object, Array<() => void>>();

export function hold(instance: object, ...unsubscribes: Array<() => void>): void {
  held.set(instance, [...(held.get(instance) ?? []), ...unsubscribes]);
}

export function release(instance: object): void {
  held.get(instance)?.forEach((unsubscribe) => unsubscribe());
  held.delete(instance);
}
