/**
 * Every function's scenario as a request for scripts/lib/run-built-function.js: the world the
 * scenario sets up in the double (its collections, files and caller) and its event. The bench
 * bundles this file, so it runs exactly the functions of the contract, each with its scenario.
 */
import { FUNCTION_NAMES, type FunctionName } from '@shared/api';
import type { WxContext } from '../cloud/platform/sdk-surface';
import type { PhoneCode } from '../emulation/phone-codes';
import { FakeWxServerSdk } from './fake-wx-server-sdk';
import { setSdkTarget } from './sdk-target';
import { SCENARIOS } from './scenarios';

export { FUNCTION_NAMES };

interface BuiltFunctionRequest {
  context: WxContext;
  /** Documents by collection; a Date is written `{ $date: <ms> }`. */
  seedCollections: Record<string, unknown[]>;
  seedFiles: string[];
  /** Phone codes the scenario minted for its event (bindPhone). */
  phoneCodes: PhoneCode[];
  calls: unknown[];
}

export async function scenarioRequest(name: FunctionName): Promise<BuiltFunctionRequest> {
  const sdk = new FakeWxServerSdk();
  setSdkTarget(sdk);
  const event = await SCENARIOS[name].setUp(sdk);
  const seedCollections: Record<string, unknown[]> = {};
  for (const [collection, docs] of sdk.collections) {
    seedCollections[collection] = [...docs.keys()].map((id) => withDatesMarked(sdk.stored(collection, id)));
  }
  const context = Object.fromEntries(Object.entries(sdk.getWXContext()).filter(([, v]) => v !== undefined));
  return {
    context,
    seedCollections,
    seedFiles: [...sdk.files.keys()],
    phoneCodes: sdk.phoneCodes.unredeemed(),
    calls: [event],
  };
}

function withDatesMarked(value: unknown): unknown {
  if (value instanceof Date) return { $date: value.getTime() };
  if (Array.isArray(value)) return value.map(withDatesMarked);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withDatesMarked(v)]));
  }
  return value;
}
