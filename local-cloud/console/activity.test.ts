import { ActivityLog, type ActivityLimits } from './activity';

const limits = (overrides: Partial<ActivityLimits> = {}): ActivityLimits => ({
  maxCalls: 3,
  maxOperations: 2,
  maxLogLines: 2,
  maxLineChars: 5,
  ...overrides,
});
const op = (action: string) => ({ action, at: 0, durationMs: 1, code: 'OK' });
const ended = (requestId: string) => ({ requestId, ok: true, durationMs: 3, coldStart: false, logs: [] });

describe('ActivityLog', () => {
  it('keeps the last maxCalls calls, newest first, and forgets the older ones', () => {
    const activity = new ActivityLog(limits());
    for (const id of ['a', 'b', 'c', 'd', 'e']) activity.callStarted({ requestId: id, functionName: 'login' });
    expect(activity.summaries().map((call) => call.requestId)).toEqual(['e', 'd', 'c']);
    expect(activity.get('a')).toBeNull();
    expect(activity.get('c')?.functionName).toBe('login');
  });

  it('files each SDK operation under the call that made it, counting what it cannot keep', () => {
    const activity = new ActivityLog(limits());
    activity.callStarted({ requestId: 'a', functionName: 'login' });
    activity.callStarted({ requestId: 'b', functionName: 'getProfile' });
    activity.operation('b', op('database.getDocument'));
    activity.operation('a', op('database.addDocument'));
    activity.operation('a', op('database.updateDocument'));
    activity.operation('a', op('database.queryDocument'));
    activity.operation(undefined, op('storage.getUploadMetadata'));
    activity.operation('gone', op('database.getDocument'));
    const a = activity.get('a')!;
    expect(a.operations.map((o) => o.action)).toEqual(['database.addDocument', 'database.updateDocument']);
    expect(a.operationCount).toBe(3);
    expect(a.droppedOperations).toBe(1);
    expect(activity.get('b')!.operations.map((o) => o.action)).toEqual(['database.getDocument']);
    expect(activity.unattributedOperations).toBe(2);
  });

  it('records the end of a call with its result code and bounded logs', () => {
    const activity = new ActivityLog(limits());
    activity.callStarted({ requestId: 'a', functionName: 'login' });
    expect(activity.summaries()[0].status).toBe('running');
    const line = (text: string) => ({ level: 'log' as const, text, time: 1 });
    activity.callEnded({
      requestId: 'a',
      ok: false,
      errCode: -504003,
      kind: 'timeout',
      durationMs: 10,
      coldStart: true,
      logs: [line('hello world'), line('two'), line('three')],
    });
    const a = activity.get('a')!;
    expect(a).toMatchObject({ status: 'failed', errCode: -504003, kind: 'timeout', coldStart: true, durationMs: 10 });
    expect(a.logs.map((l) => l.text)).toEqual(['hello…', 'two']);
    expect(a.droppedLogLines).toBe(1);
    activity.callEnded(ended('never-started'));
    expect(activity.summaries()).toHaveLength(1);
  });

  it('a summary carries no operations or lines; get() answers a copy', () => {
    const activity = new ActivityLog(limits());
    activity.callStarted({ requestId: 'a', functionName: 'login', openid: 'oUser' });
    activity.operation('a', op('database.getDocument'));
    activity.callEnded(ended('a'));
    expect(activity.summaries()[0]).not.toHaveProperty('operations');
    expect(activity.summaries()[0]).toMatchObject({ openid: 'oUser', operationCount: 1, status: 'ok' });
    activity.get('a')!.operations.length = 0;
    expect(activity.get('a')!.operations).toHaveLength(1);
  });

  it('refuses limits that are not positive integers', () => {
    expect(() => new ActivityLog(limits({ maxCalls: 0 }))).toThrow(/maxCalls/);
  });
});
