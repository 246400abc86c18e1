import type { ErrorCode } from '@shared/errors';

/** A failure the caller is told about: its code is stable, its message safe to show. */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const invalidArgument = (message: string): AppError => new AppError('INVALID_ARGUMENT', message);

/** What every unexpected failure answers: the client can only try again later. */
export const INTERNAL_MESSAGE = '服务暂时不可用，请稍后再试';

export const internalError = (): AppError => new AppError('INTERNAL', INTERNAL_MESSAGE);
