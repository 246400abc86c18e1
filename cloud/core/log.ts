import type { Logger } from '../platform/sdk-surface';

/**
 * Log records carry an event name and non-personal facts only (codes, counts, names of
 * functions). Never pass an openid, unionid, nickname, avatar or request data here.
 */
type LogFacts = Record<string, string | number | boolean>;

export function logFailure(logger: Logger, fn: string, event: string, error: unknown): void {
  logger.error({ fn, event, ...describeError(error) });
}

export function logWarning(logger: Logger, fn: string, event: string, facts: LogFacts = {}): void {
  logger.warn({ fn, event, ...facts });
}

/** What is safe to log about an error: its kind and code, never its message (it may echo data). */
function describeError(error: unknown): LogFacts {
  if (error && typeof error === 'object') {
    const { errCode, name } = error as { errCode?: unknown; name?: unknown };
    const facts: LogFacts = { errorName: typeof name === 'string' ? name : 'Error' };
    if (typeof errCode === 'number' || typeof errCode === 'string') facts.errCode = errCode;
    return facts;
  }
  return { errorName: typeof error };
}
