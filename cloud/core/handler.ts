import { decodeRequest, type DataOf, type FunctionName, type RequestOf } from '@shared/api';
import { refusalMessage } from '@shared/decode';
import type { ErrorBody, Result } from '@shared/errors';
import type { CloudPlatform, WxContext } from '../platform/sdk-surface';
import { AppError, INTERNAL_MESSAGE, invalidArgument } from './app-error';
import { logFailure } from './log';

/** What a method receives: the decoded request, the caller's identity, the platform. */
export interface Call<N extends FunctionName> {
  request: RequestOf<N>;
  caller: CallerIdentity;
  context: WxContext;
  platform: CloudPlatform;
}

/** The authenticated caller, from getWXContext() only. */
export interface CallerIdentity {
  openid: string;
  appid: string;
  unionid: string | null;
}

/** A function's work: from its contract's request to its contract's data. */
type Method<N extends FunctionName> = (call: Call<N>) => Promise<DataOf<N>>;

/** A deployed function's `main(event, context)`, marked with the name of its contract. */
export type CloudMain<N extends FunctionName> = ((event: unknown, context?: unknown) => Promise<Result<DataOf<N>>>) & {
  readonly functionName: N;
};

const INTERNAL: ErrorBody = { code: 'INTERNAL', message: INTERNAL_MESSAGE };

/**
 * Turns a method into the cloud function `name`: identity from the call context, the event
 * decoded into the contract's request (INVALID_ARGUMENT naming the field otherwise), one answer
 * envelope, never a throw to the platform and never a stack in the answer.
 */
export function defineFunction<N extends FunctionName>(
  name: N,
  method: Method<N>,
  platform: () => CloudPlatform,
): CloudMain<N> {
  const main = async (event: unknown): Promise<Result<DataOf<N>>> => {
    let current: CloudPlatform | undefined;
    try {
      current = platform();
      const context = current.getWXContext();
      const caller = callerOf(context);
      const request = decodeRequest(name, asRecord(event));
      if (!request.ok) throw invalidArgument(refusalMessage(request));
      const data = await method({ request: request.value, caller, context, platform: current });
      return { ok: true, data };
    } catch (error) {
      if (error instanceof AppError) {
        return { ok: false, error: { code: error.code, message: error.message } };
      }
      if (current) safely(() => logFailure(current!.logger(), name, 'unexpected', error));
      return { ok: false, error: INTERNAL };
    }
  };
  return Object.assign(main, { functionName: name });
}

function callerOf(context: WxContext): CallerIdentity {
  if (!context.OPENID || !context.APPID) {
    throw new AppError('UNAUTHENTICATED', '无法识别调用者身份，请从小程序内调用');
  }
  return { openid: context.OPENID, appid: context.APPID, unionid: context.UNIONID ?? null };
}

function asRecord(event: unknown): Readonly<Record<string, unknown>> {
  return event && typeof event === 'object' && !Array.isArray(event) ? (event as Record<string, unknown>) : {};
}

function safely(action: () => void): void {
  try {
    action();
  } catch {
    // A failing logger must not turn an answer into a throw.
  }
}
