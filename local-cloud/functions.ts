/**
 * The cloud functions the local cloud serves: the production handlers themselves, one line
 * each. Add a function here when it is added to cloud/functions/.
 */
export type CloudFunctionMain = (event: unknown, context?: unknown) => Promise<unknown>;

export type FunctionRegistry = Readonly<Record<string, () => Promise<{ main: CloudFunctionMain }>>>;

export const FUNCTIONS: FunctionRegistry = {
  login: () => import('../cloud/functions/login'),
  saveProfile: () => import('../cloud/functions/saveProfile'),
  getProfile: () => import('../cloud/functions/getProfile'),
  deleteAccount: () => import('../cloud/functions/deleteAccount'),
};

export function findFunction(
  registry: FunctionRegistry,
  name: string,
): (() => Promise<{ main: CloudFunctionMain }>) | undefined {
  return Object.prototype.hasOwnProperty.call(registry, name) ? registry[name] : undefined;
}
