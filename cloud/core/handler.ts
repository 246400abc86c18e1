import type { ErrorBody, Result } from '../../miniprogram/shared/errors';
import type { CloudPlatform, WxContext } from '../platform/sdk-surface';
import { AppError, INTERNAL_MESSAGE } from './app-error';
import { logFailure } from './log';

/** What a method receives: the raw event (untrusted), the caller's identity, the platform. */
export interface Call {
  event: Readonly<Record<string, unknown>>;
  caller: Caller;
  context: WxContext;
  platform: CloudPlatform;
}

/** The authenticated caller, from getWXContext() only. */
export interface Caller {
  openid: string;
  appid: string;
  unionid: string | null;
}

export type Method<T> = (call: Call) => Promise<T>;
export type CloudMain<T> = (event: unknown, context?: unknown) => Promise<Result<T>>;

const INTERNAL: ErrorBody = { code: 'INTERNAL', message: INTERNAL_MESSAGE };

/**
 * Turns a method into a cloud function `main(event, context)`: identity from the call context,
 * one answer envelope, never a throw to the platform and never a stack in the answer.
 */
export function defineFunction<T>(name: string, method: Method<T>, platform: () => CloudPlatform): CloudMain<T> {
  return async (event) => {
    let current: CloudPlatform | undefined;
    try {
      current = platform();
      const context = current.getWXContext();
      const caller = callerOf(context);
      const data = await method({ event: asRecord(event), caller, context, platform: current });
      return { ok: true, data };
    } catch (error) {
      if (error instanceof AppError) {
        return { ok: false, error: { code: error.code, message: error.message } };
      }
      if (current) safely(() => logFailure(current!.logger(), name, 'unexpected', error));
      return { ok: false, error: INTERNAL };
    }
  };
}

function callerOf(context: WxContext): Caller {
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
