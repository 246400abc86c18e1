/**
 * The cloud functions the local cloud serves: the production handlers themselves, one for each
 * function of the contract, loaded from cloud/functions/<name>.ts when first called.
 */
import { FUNCTION_NAMES } from '@shared/api';

export type CloudFunctionMain = (event: unknown, context?: unknown) => Promise<unknown>;

export type FunctionRegistry = Readonly<Record<string, () => Promise<{ main: CloudFunctionMain }>>>;

export const FUNCTIONS: FunctionRegistry = Object.fromEntries(
  FUNCTION_NAMES.map((name) => [
    name,
    () => import(`../cloud/functions/${name}`) as Promise<{ main: CloudFunctionMain }>,
  ]),
);

export function findFunction(
  registry: FunctionRegistry,
  name: string,
): (() => Promise<{ main: CloudFunctionMain }>) | undefined {
  return Object.prototype.hasOwnProperty.call(registry, name) ? registry[name] : undefined;
}
