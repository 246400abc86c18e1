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

/**
 * What a function invoked by a platform push (消息推送) receives: no caller. The event names
 * no one the function may trust; identity must come from data the function stored itself.
 */
export type PushCall<N extends FunctionName> = Omit<Call<N>, 'caller'>;

/** A function's work: from its contract's request to its contract's data. */
type Method<N extends FunctionName> = (call: Call<N>) => Promise<DataOf<N>>;
type PushMethod<N extends FunctionName> = (call: PushCall<N>) => Promise<DataOf<N>>;

/**
 * Who invokes the function: the mini program (the default; a call without OPENID and APPID is
 * refused as UNAUTHENTICATED) or the platform's message push, whose context has no user.
 */
interface PushOptions {
  invokedBy: 'platform-push';
}

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
): CloudMain<N>;
export function defineFunction<N extends FunctionName>(
  name: N,
  method: PushMethod<N>,
  platform: () => CloudPlatform,
  options: PushOptions,
): CloudMain<N>;
export function defineFunction<N extends FunctionName>(
  name: N,
  method: Method<N> | PushMethod<N>,
  platform: () => CloudPlatform,
  options?: PushOptions,
): CloudMain<N> {
  const main = async (event: unknown): Promise<Result<DataOf<N>>> => {
    let current: CloudPlatform | undefined;
    try {
      current = platform();
      const context = current.getWXContext();
      const caller = options?.invokedBy === 'platform-push' ? null : callerOf(context);
      const request = decodeRequest(name, asRecord(event));
      if (!request.ok) throw invalidArgument(refusalMessage(request));
      const call = { request: request.value, context, platform: current };
      const data = caller ? await (method as Method<N>)({ ...call, caller }) : await (method as PushMethod<N>)(call);
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
