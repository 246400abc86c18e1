/**
 * What the console's 请求 and 概览 screens show: the last function calls, each with the SDK
 * operations it made on the platform API and the lines it printed. A ring buffer: the oldest
 * call is forgotten once `maxCalls` are kept, and each call keeps at most `maxOperations`
 * operations and `maxLogLines` lines (of at most `maxLineChars` characters), so memory stays
 * bounded however long the emulator runs. Kept in memory only, never written to the log.
 */
import type { LogLine } from '../instances/outcome';

export interface ActivityLimits {
  maxCalls: number;
  maxOperations: number;
  maxLogLines: number;
  maxLineChars: number;
}

export const DEFAULT_ACTIVITY_LIMITS: ActivityLimits = {
  maxCalls: 200,
  maxOperations: 200,
  maxLogLines: 200,
  maxLineChars: 2000,
};

/** One request of the function's wx-server-sdk to the platform API. */
export interface SdkOperation {
  action: string;
  collection?: string;
  /** Milliseconds since the epoch. */
  at: number;
  durationMs: number;
  /** `OK`, or the platform error code answered (e.g. `DATABASE_COLLECTION_NOT_EXIST`). */
  code: string;
}

export interface CallStarted {
  requestId: string;
  functionName: string;
  openid?: string;
  unionid?: string;
  /** TCB_SOURCE: `wx_client` from the gateway, `wx_client,scf` from another function. */
  source?: string;
}

export interface CallEnded {
  requestId: string;
  ok: boolean;
  /** The platform's errCode of a failed call (-504002, -504003, …). */
  errCode?: number;
  /** Why it failed: error, timeout, memory, crash, load, busy, stopped. */
  kind?: string;
  durationMs: number;
  coldStart: boolean;
  logs: readonly LogLine[];
}

export type CallStatus = 'running' | 'ok' | 'failed';

export interface CallSummary {
  requestId: string;
  functionName: string;
  openid?: string;
  unionid?: string;
  source?: string;
  startedAt: number;
  status: CallStatus;
  errCode?: number;
  kind?: string;
  durationMs?: number;
  coldStart?: boolean;
  operationCount: number;
}

export interface CallRecord extends CallSummary {
  operations: SdkOperation[];
  droppedOperations: number;
  logs: LogLine[];
  droppedLogLines: number;
}

export class ActivityLog {
  /** Oldest first; `byId` indexes the same records. */
  private readonly calls: CallRecord[] = [];
  private readonly byId = new Map<string, CallRecord>();
  /** Operations no kept call claims (a call forgotten, or made outside any call): counted only. */
  private unattributed = 0;

  constructor(
    private readonly limits: ActivityLimits = DEFAULT_ACTIVITY_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    for (const [key, value] of Object.entries(limits)) {
      if (!Number.isInteger(value) || value < 1) throw new TypeError(`${key} must be a positive integer`);
    }
  }

  callStarted(call: CallStarted): void {
    const record: CallRecord = {
      requestId: call.requestId,
      functionName: call.functionName,
      openid: call.openid,
      unionid: call.unionid,
      source: call.source,
      startedAt: this.now(),
      status: 'running',
      operationCount: 0,
      operations: [],
      droppedOperations: 0,
      logs: [],
      droppedLogLines: 0,
    };
    this.calls.push(record);
    this.byId.set(record.requestId, record);
    while (this.calls.length > this.limits.maxCalls) this.byId.delete(this.calls.shift()!.requestId);
  }

  callEnded(end: CallEnded): void {
    const record = this.byId.get(end.requestId);
    if (!record) return;
    record.status = end.ok ? 'ok' : 'failed';
    record.errCode = end.errCode;
    record.kind = end.kind;
    record.durationMs = end.durationMs;
    record.coldStart = end.coldStart;
    for (const line of end.logs) this.addLine(record, line);
  }

  /** An SDK request of the call `requestId` (undefined: made by no running call). */
  operation(requestId: string | undefined, operation: SdkOperation): void {
    const record = requestId === undefined ? undefined : this.byId.get(requestId);
    if (!record) {
      this.unattributed += 1;
      return;
    }
    record.operationCount += 1;
    if (record.operations.length < this.limits.maxOperations) record.operations.push(operation);
    else record.droppedOperations += 1;
  }

  /** The kept calls, newest first, without their operations and lines. */
  summaries(): CallSummary[] {
    return this.calls
      .slice()
      .reverse()
      .map((record) => summaryOf(record));
  }

  /** A kept call with its operations and lines, or null once forgotten. */
  get(requestId: string): CallRecord | null {
    const record = this.byId.get(requestId);
    return record ? { ...record, operations: [...record.operations], logs: [...record.logs] } : null;
  }

  get unattributedOperations(): number {
    return this.unattributed;
  }

  clear(): void {
    this.calls.length = 0;
    this.byId.clear();
    this.unattributed = 0;
  }

  private addLine(record: CallRecord, line: LogLine): void {
    if (record.logs.length >= this.limits.maxLogLines) {
      record.droppedLogLines += 1;
      return;
    }
    const { maxLineChars } = this.limits;
    const text = line.text.length > maxLineChars ? `${line.text.slice(0, maxLineChars)}…` : line.text;
    record.logs.push({ level: line.level, text, time: line.time });
  }
}

function summaryOf(record: CallRecord): CallSummary {
  const { requestId, functionName, openid, unionid, source, startedAt, status } = record;
  const { errCode, kind, durationMs, coldStart, operationCount } = record;
  return {
    requestId,
    functionName,
    openid,
    unionid,
    source,
    startedAt,
    status,
    errCode,
    kind,
    durationMs,
    coldStart,
    operationCount,
  };
}
