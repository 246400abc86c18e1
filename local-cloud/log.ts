/**
 * The local cloud's log: one JSON line per record. Records carry event names, function names,
 * codes and counts, never an openid, unionid, nickname, avatar or request data.
 */
export type LogLevel = 'log' | 'info' | 'warn' | 'error';
export type LogRecord = Record<string, unknown>;
export type LogSink = (level: LogLevel, record: LogRecord) => void;

export const consoleSink: LogSink = (level, record) => {
  const line = JSON.stringify({ time: new Date().toISOString(), level, ...record });
  if (level === 'warn' || level === 'error') process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
};
