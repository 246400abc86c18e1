/**
 * Function instances with real child processes and small plain-JavaScript function folders.
 * No test depends on how fast the machine is: limits are short, and waits are for events or files.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { FunctionInstances } from './function-instances';
import { UnknownFunctionError } from './function-instances';
import type { CallOutcome } from './outcome';
import { functionFolder, instances, nextEvent, PLATFORM, removeFolders, spec } from './test-fixtures';

let running: FunctionInstances[] = [];
function track<T extends { instances: FunctionInstances }>(made: T): T {
  running.push(made.instances);
  return made;
}

afterEach(async () => {
  await Promise.all(running.map((made) => made.close()));
  running = [];
  removeFolders();
});

function ok(outcome: CallOutcome): unknown {
  if (!outcome.ok) throw new Error(`call failed: ${outcome.error.message}`);
  return outcome.result;
}

function failed(outcome: CallOutcome) {
  if (outcome.ok) throw new Error(`call answered ${JSON.stringify(outcome.result)}`);
  return outcome.error;
}

const PID = `exports.main = async () => ({ pid: process.pid });`;

describe('a call', () => {
  it("answers main's value, whether main is async, returns a plain value or uses the callback", async () => {
    const asyncFn = functionFolder({ 'index.js': 'exports.main = async (event) => ({ twice: event.n * 2 });' });
    const syncFn = functionFolder({ 'index.js': 'exports.main = (event) => event.n + 1;' });
    const callbackFn = functionFolder({
      'index.js': 'exports.main = (event, context, callback) => { setImmediate(() => callback(null, [event.n])); };',
    });
    const { instances: fns } = track(
      instances([spec('asyncFn', asyncFn), spec('syncFn', syncFn), spec('callbackFn', callbackFn)]),
    );
    expect(ok(await fns.invoke('asyncFn', { n: 21 }))).toEqual({ twice: 42 });
    expect(ok(await fns.invoke('syncFn', { n: 1 }))).toBe(2);
    expect(ok(await fns.invoke('callbackFn', { n: 5 }))).toEqual([5]);
  });

  it('passes the context SCF passes and runs in the function folder with the platform variables', async () => {
    const dir = functionFolder({
      'index.js': `exports.main = async (event, context) => ({
        context,
        cwd: process.cwd(),
        env: {
          TCB_CONTEXT_CNFG: process.env.TCB_CONTEXT_CNFG,
          TENCENTCLOUD_RUNENV: process.env.TENCENTCLOUD_RUNENV,
          TENCENTCLOUD_SECRETID: process.env.TENCENTCLOUD_SECRETID,
          TENCENTCLOUD_SECRETKEY: process.env.TENCENTCLOUD_SECRETKEY,
          TENCENTCLOUD_REGION: process.env.TENCENTCLOUD_REGION,
          SCF_NAMESPACE: process.env.SCF_NAMESPACE,
          TCB_ENV: process.env.TCB_ENV,
          MY_SETTING: process.env.MY_SETTING,
          EMULATOR_ONLY: process.env.EMULATOR_ONLY,
        },
      });`,
    });
    process.env.EMULATOR_ONLY = 'the emulator process only';
    try {
      const { instances: fns } = track(
        instances([spec('ctx', dir, { memoryMb: 128, timeoutMs: 5000, envVariables: { MY_SETTING: 'on' } })]),
      );
      const outcome = await fns.invoke('ctx', {});
      const answer = ok(outcome) as { context: Record<string, unknown>; cwd: string; env: Record<string, unknown> };
      expect(answer.context).toMatchObject({
        request_id: outcome.requestId,
        function_name: 'ctx',
        function_version: '$LATEST',
        namespace: PLATFORM.envId,
        memory_limit_in_mb: 128,
        time_limit_in_ms: 5000,
        tencentcloud_region: 'ap-shanghai',
      });
      expect(JSON.parse(answer.context.environment as string)).toMatchObject({ TCB_ENV: PLATFORM.envId });
      expect(answer.cwd).toBe(fs.realpathSync(dir));
      expect(answer.env).toEqual({
        TCB_CONTEXT_CNFG: JSON.stringify({ URL: PLATFORM.apiUrl }),
        TENCENTCLOUD_RUNENV: 'SCF',
        TENCENTCLOUD_SECRETID: PLATFORM.secretId,
        TENCENTCLOUD_SECRETKEY: PLATFORM.secretKey,
        TENCENTCLOUD_REGION: 'ap-shanghai',
        SCF_NAMESPACE: PLATFORM.envId,
        TCB_ENV: PLATFORM.envId,
        MY_SETTING: 'on',
      });
    } finally {
      delete process.env.EMULATOR_ONLY;
    }
  });

  it("sets each call's identity and API token, and nothing of the previous caller's remains", async () => {
    const dir = functionFolder({
      'index.js': `exports.main = async () => {
        const keys = process.env.WX_CONTEXT_KEYS.split(',');
        return { keys, values: Object.fromEntries(keys.map((k) => [k, process.env[k]])), unionid: process.env.WX_UNIONID,
                 source: process.env.TCB_SOURCE, seq: process.env.TCB_SEQID, pid: process.pid };
      };`,
    });
    const started: Array<{ token: string; openid: string | undefined }> = [];
    const ended: string[] = [];
    const { instances: fns } = track(
      instances([spec('who', dir)], {
        onCallStart: (token, call) => started.push({ token, openid: call.identity.openid }),
        onCallEnd: (token) => ended.push(token),
      }),
    );
    type Who = {
      keys: string[];
      values: Record<string, string>;
      unionid?: string;
      source: string;
      seq: string;
      pid: number;
    };
    const first = ok(
      await fns.invoke('who', {}, { openid: 'oAlice', appid: 'wxapp1', unionid: 'uAlice', clientIp: '10.0.0.7' }),
    ) as Who;
    const second = ok(await fns.invoke('who', {}, { openid: 'oBob', appid: 'wxapp1', source: 'wx_devtools' })) as Who;
    expect(second.pid).toBe(first.pid);
    expect(first.values).toEqual({
      WX_CLIENTIP: '10.0.0.7',
      WX_APPID: 'wxapp1',
      WX_OPENID: 'oAlice',
      WX_UNIONID: 'uAlice',
      WX_API_TOKEN: started[0].token,
    });
    expect(second.keys).toEqual(['WX_APPID', 'WX_OPENID', 'WX_API_TOKEN']);
    expect(second.values.WX_OPENID).toBe('oBob');
    expect(second.unionid).toBeUndefined();
    expect([first.source, second.source]).toEqual(['wx_client', 'wx_devtools']);
    expect(first.seq).not.toBe(second.seq);
    expect(started.map((s) => s.openid)).toEqual(['oAlice', 'oBob']);
    expect(started[0].token).not.toBe(started[1].token);
    expect(second.values.WX_API_TOKEN).toBe(started[1].token);
    expect(ended).toEqual(started.map((s) => s.token));
  });

  it('refuses an API URL the SDK would break (a query string) before starting anything', () => {
    expect(() => instances([], { apiUrl: 'http://127.0.0.1:3000/admin?x=1' })).toThrow(/without a query/);
    expect(() => instances([], { maxInstances: 0 })).toThrow(/maxInstances must be a positive number/);
  });

  it('refuses a function cloudbaserc.json does not list', async () => {
    const { instances: fns } = track(instances([]));
    await expect(fns.invoke('nope', {})).rejects.toThrow(UnknownFunctionError);
  });

  it('answers an error for an answer larger than the platform allows, and the instance stays', async () => {
    const dir = functionFolder({ 'index.js': `exports.main = async (e) => 'x'.repeat(e.n);` });
    const { instances: fns } = track(instances([spec('big', dir)], { maxResultBytes: 1000 }));
    expect(failed(await fns.invoke('big', { n: 2000 })).reason).toMatch(
      /^Error: The size of response exceeds the upper limit/,
    );
    expect(ok(await fns.invoke('big', { n: 10 }))).toBe('x'.repeat(10));
    expect(fns.stats()[0].coldStarts).toBe(1);
  });
});

describe('the pool', () => {
  it('reuses one warm instance for calls one after another, counting one cold start', async () => {
    const dir = functionFolder({ 'index.js': PID });
    const { instances: fns, events } = track(instances([spec('warm', dir)]));
    const outcomes: CallOutcome[] = [];
    for (let i = 0; i < 4; i += 1) outcomes.push(await fns.invoke('warm', {}));
    expect(outcomes.map((o) => o.coldStart)).toEqual([true, false, false, false]);
    expect(new Set(outcomes.map((o) => (ok(o) as { pid: number }).pid)).size).toBe(1);
    expect(fns.stats()[0]).toMatchObject({ coldStarts: 1, calls: 4, instances: 1, busy: 0, idle: 1, failures: 0 });
    expect(fns.stats()[0].lastDurationsMs).toHaveLength(4);
    expect(events.filter((e) => e.type === 'cold-start')).toHaveLength(1);
  });

  it('grows to the cap under concurrent calls, one call at a time per instance', async () => {
    const barrier = functionFolder({});
    // Each of the first calls waits until `cap` calls are running at once, so the pool must grow to the cap;
    // each instance checks it never runs two calls at once.
    const dir = functionFolder({
      'index.js': `const fs = require('fs');
        let running = 0;
        exports.main = async (event) => {
          running += 1;
          if (running > 1) throw new Error('two calls at once in one instance');
          fs.appendFileSync(event.barrier, process.pid + '\\n');
          while (fs.readFileSync(event.barrier, 'utf8').trim().split('\\n').length < event.cap) {
            await new Promise((resolve) => setTimeout(resolve, 5));
          }
          running -= 1;
          return { pid: process.pid };
        };`,
    });
    const cap = 3;
    const { instances: fns } = track(instances([spec('busy', dir)], { maxInstances: cap }));
    const file = path.join(barrier, 'pids');
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => fns.invoke('busy', { barrier: file, cap })));
    const pids = new Set(outcomes.map((o) => (ok(o) as { pid: number }).pid));
    expect(pids.size).toBe(cap);
    expect(outcomes.filter((o) => o.coldStart)).toHaveLength(cap);
    expect(fns.stats()[0]).toMatchObject({ coldStarts: cap, calls: 8, instances: cap, busy: 0, queued: 0 });
  });

  it('refuses calls beyond the waiting limit with the concurrency error', async () => {
    const dir = functionFolder({
      'index.js': `const fs = require('fs');
        exports.main = async (e) => { while (!fs.existsSync(e.go)) await new Promise((r) => setTimeout(r, 5)); return 1; };`,
    });
    const go = path.join(functionFolder({}), 'go');
    // Both first calls wait: one for the instance starting, one for the instance to be free.
    const { instances: fns } = track(instances([spec('one', dir)], { maxInstances: 1, maxQueuedCalls: 2 }));
    const first = fns.invoke('one', { go });
    const second = fns.invoke('one', { go });
    const third = await fns.invoke('one', { go });
    expect(failed(third)).toMatchObject({ kind: 'busy', errCode: -501004 });
    fs.writeFileSync(go, '');
    expect([ok(await first), ok(await second)]).toEqual([1, 1]);
  });

  it('stops an instance left idle, and the next call starts a new one', async () => {
    const dir = functionFolder({ 'index.js': PID });
    const { instances: fns, events } = track(instances([spec('idle', dir)], { idleTimeoutMs: 50 }));
    const first = ok(await fns.invoke('idle', {})) as { pid: number };
    await nextEvent(fns, (e) => e.type === 'instance-exit' && e.cause === 'idle', events);
    expect(fns.stats()[0].instances).toBe(0);
    const second = await fns.invoke('idle', {});
    expect(second.coldStart).toBe(true);
    expect((ok(second) as { pid: number }).pid).not.toBe(first.pid);
  });

  it('answers `stopped` to a running call when closed, and ends every process', async () => {
    const dir = functionFolder({ 'index.js': 'exports.main = () => new Promise(() => {});' });
    const made = instances([spec('hang', dir)]);
    const call = made.instances.invoke('hang', {});
    await nextEvent(made.instances, (e) => e.type === 'cold-start', made.events);
    await made.instances.close();
    expect(failed(await call).kind).toBe('stopped');
    expect(made.events.filter((e) => e.type === 'instance-exit')).toEqual([
      expect.objectContaining({ cause: 'closed' }),
    ]);
  });
});

describe('failures', () => {
  it('answers the platform error for a throw, with the stack on one line, and keeps the instance', async () => {
    const dir = functionFolder({
      'index.js': `exports.main = async (e) => { if (e.fail) throw new Error('boom'); return { pid: process.pid }; };`,
    });
    const { instances: fns } = track(instances([spec('thrower', dir)]));
    const before = ok(await fns.invoke('thrower', {})) as { pid: number };
    const error = failed(await fns.invoke('thrower', { fail: true }));
    expect(error.kind).toBe('error');
    expect(error.errCode).toBe(-504002);
    expect(error.message).toMatch(/^errCode: -504002 functions execute fail \| errMsg: Error: boom at /);
    expect(error.reason).not.toContain('\n');
    expect(ok(await fns.invoke('thrower', {}))).toEqual(before);
    expect(fns.stats()[0]).toMatchObject({ coldStarts: 1, failures: 1 });
  });

  it('answers a thrown non-Error as its JSON or text', async () => {
    const dir = functionFolder({ 'index.js': `exports.main = async (e) => { throw e.value; };` });
    const { instances: fns } = track(instances([spec('odd', dir)]));
    expect(failed(await fns.invoke('odd', { value: 'plain text' })).reason).toBe('plain text');
    expect(failed(await fns.invoke('odd', { value: { code: 7 } })).reason).toBe('{"code":7}');
  });

  it.each([
    ['an awaited promise that never settles', 'exports.main = () => new Promise(() => {});'],
    ['an endless loop', 'exports.main = () => { for (;;) {} };'],
  ])('times out %s with the platform error, and the next call gets a fresh instance', async (_what, code) => {
    const dir = functionFolder({ 'index.js': code });
    const pidDir = functionFolder({ 'index.js': PID });
    const { instances: fns, events } = track(instances([spec('hang', dir, { timeoutMs: 300 }), spec('other', pidDir)]));
    const error = failed(await fns.invoke('hang', {}));
    expect(error).toEqual({
      kind: 'timeout',
      errCode: -504003,
      reason: 'Invoking task timed out after 0.3 seconds',
      message: 'errCode: -504003  | errMsg: Invoking task timed out after 0.3 seconds',
    });
    await nextEvent(fns, (e) => e.type === 'instance-exit' && e.cause === 'timeout', events);
    expect(ok(await fns.invoke('other', {}))).toHaveProperty('pid');
    const again = await fns.invoke('hang', {});
    expect(again.coldStart).toBe(true);
    expect(fns.stats()[0].coldStarts).toBe(2);
  });

  it.each([
    [
      // A loop that never yields: V8 stops it at --max-old-space-size.
      'a JavaScript heap over the limit',
      'const keep = []; exports.main = () => { for (;;) keep.push(new Array(100000).fill(keep.length)); };',
      /^Task memory exceeded 64 MB$/,
    ],
    [
      // Outside the heap: the instance's resident memory is watched.
      'buffers over the limit',
      `const keep = []; exports.main = async () => { for (;;) { keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); await new Promise((r) => setTimeout(r, 1)); } };`,
      /^resident memory \d+ MB$/,
    ],
  ])('answers the memory error for %s, and replaces the instance', async (_what, code, detail) => {
    const dir = functionFolder({ 'index.js': code });
    const { instances: fns, events } = track(instances([spec('hog', dir, { memoryMb: 64, timeoutMs: 60_000 })]));
    const error = failed(await fns.invoke('hog', {}));
    expect(error).toEqual({
      kind: 'memory',
      errCode: -504002,
      reason: 'Task memory exceeded 64 MB',
      message: 'errCode: -504002 functions execute fail | errMsg: Task memory exceeded 64 MB',
    });
    const exit = await nextEvent(fns, (e) => e.type === 'instance-exit' && e.cause === 'memory', events);
    expect(exit).toMatchObject({ detail: expect.stringMatching(detail) });
    expect(fns.stats()[0].instances).toBe(0);
  });

  it.each([
    ['process.exit(3)', 'exports.main = () => { process.exit(3); };', /^3 code exit unexpected$/],
    [
      'an exception thrown in a timer',
      `exports.main = () => new Promise(() => { setTimeout(() => { throw new Error('late boom'); }, 1); });`,
      /^Error: late boom at /,
    ],
    [
      'an unhandled rejection',
      `exports.main = () => { Promise.reject(new Error('forgotten')); return new Promise(() => {}); };`,
      /^Error: forgotten at /,
    ],
  ])('answers an error for %s and the next call gets a fresh instance', async (_what, code, reason) => {
    const dir = functionFolder({ 'index.js': `${code}\n` });
    const { instances: fns, events } = track(instances([spec('crash', dir)]));
    const error = failed(await fns.invoke('crash', {}));
    expect(error).toMatchObject({ kind: 'crash', errCode: -504002 });
    expect(error.reason).toMatch(reason);
    await nextEvent(fns, (e) => e.type === 'instance-exit', events);
    expect((await fns.invoke('crash', {})).coldStart).toBe(true);
  });

  it('notices an instance that dies between calls, and starts a new one for the next call', async () => {
    const dir = functionFolder({
      'index.js': `exports.main = (e) => { if (e.later) setTimeout(() => { throw new Error('after the call'); }, 1); return process.pid; };`,
    });
    const { instances: fns, events } = track(instances([spec('late', dir)]));
    const pid = ok(await fns.invoke('late', { later: true }));
    const exit = await nextEvent(fns, (e) => e.type === 'instance-exit', events);
    expect(exit).toMatchObject({ cause: 'crash', detail: expect.stringMatching(/^Error: after the call at /) });
    const next = await fns.invoke('late', {});
    expect(next.coldStart).toBe(true);
    expect(ok(next)).not.toBe(pid);
  });

  it.each([
    ['throws while loading', `throw new Error('bad top level');`, /^Error: bad top level at /],
    ['exports no main', `exports.handler = () => 1;`, /index\.main: the module exports no function "main"/],
    ['has a syntax error', `exports.main = () => {`, /SyntaxError/],
    ['exits while loading', `process.exit(0);`, /^0 code exit unexpected$/],
  ])('answers the load error when the function %s', async (_what, code, reason) => {
    const dir = functionFolder({ 'index.js': code });
    const { instances: fns } = track(instances([spec('broken', dir)]));
    const outcome = await fns.invoke('broken', {});
    expect(failed(outcome)).toMatchObject({ kind: 'load', errCode: -504002 });
    expect(failed(outcome).reason).toMatch(reason);
    expect(fns.stats()[0].instances).toBe(0);
  });

  it("does not find a package outside the function folder: the platform has only the folder's own", async () => {
    // Inside the project, Node would otherwise find the project's node_modules/wx-server-sdk.
    const inProject = path.join(__dirname, '..', '..', '.local-cloud', 'test-functions');
    const dir = functionFolder({ 'index.js': `require('wx-server-sdk'); exports.main = () => 1;` }, inProject);
    const { instances: fns } = track(instances([spec('nodeps', dir)]));
    expect(failed(await fns.invoke('nodeps', {})).reason).toMatch(/^Error: Cannot find module 'wx-server-sdk'/);
  });

  it('keeps serving other functions and calls while one crashes, hangs and runs out of memory', async () => {
    const good = functionFolder({ 'index.js': 'exports.main = async (e) => e.n;' });
    const bad = functionFolder({
      'index.js': `const keep = [];
        exports.main = (e) => {
          if (e.mode === 'exit') process.exit(1);
          if (e.mode === 'loop') for (;;) {}
          for (;;) keep.push(new Array(100000).fill(0));
        };`,
    });
    const { instances: fns } = track(
      instances([spec('good', good), spec('bad', bad, { timeoutMs: 500, memoryMb: 64 })], { maxInstances: 3 }),
    );
    const results = await Promise.all([
      fns.invoke('bad', { mode: 'exit' }),
      fns.invoke('bad', { mode: 'loop' }),
      fns.invoke('bad', { mode: 'oom' }),
      ...Array.from({ length: 6 }, (_, n) => fns.invoke('good', { n })),
    ]);
    expect(results.slice(0, 3).map((r) => failed(r).kind)).toEqual(['crash', 'timeout', 'memory']);
    expect(results.slice(3).map(ok)).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

describe('logs', () => {
  it('gives each call what the function printed, levels kept, the first call also what it printed while loading', async () => {
    const dir = functionFolder({
      'index.js': `console.log('loading');
        exports.main = async (e) => {
          console.log('hello %s', e.name);
          console.info({ n: 1 });
          console.warn('careful');
          console.error(new Error('shown'));
          process.stdout.write('raw line\\n');
          return 1;
        };`,
    });
    const { instances: fns, events } = track(instances([spec('talk', dir)]));
    const first = await fns.invoke('talk', { name: 'world' });
    const second = await fns.invoke('talk', { name: 'again' });
    expect(first.logs.map((l) => [l.level, l.text.split('\n')[0]])).toEqual([
      ['log', 'loading'],
      ['log', 'hello world'],
      ['info', '{ n: 1 }'],
      ['warn', 'careful'],
      ['error', 'Error: shown'],
      ['log', 'raw line'],
    ]);
    expect(second.logs.map((l) => l.text)).toContain('hello again');
    expect(second.logs.map((l) => l.text)).not.toContain('loading');
    const logEvents = events.filter((e) => e.type === 'log' && e.requestId === second.requestId);
    expect(logEvents.length).toBeGreaterThan(0);
  });

  it('adds nothing personal: no event carries the caller', async () => {
    const dir = functionFolder({
      'index.js': `exports.main = async () => { console.log('working'); throw new Error('x'); };`,
    });
    const { instances: fns, events } = track(instances([spec('quiet', dir)]));
    await fns.invoke('quiet', {}, { openid: 'oSecretOpenid123', unionid: 'uSecretUnionid', appid: 'wxapp' });
    expect(JSON.stringify(events)).not.toMatch(/oSecretOpenid123|uSecretUnionid/);
  });
});

describe('source changes', () => {
  it('sends new calls to new instances after a change, while a running call finishes on the old one', async () => {
    const go = path.join(functionFolder({}), 'go');
    const dir = functionFolder({
      'index.js': `const fs = require('fs');
        exports.main = async (e) => { if (e.wait) while (!fs.existsSync(e.wait)) await new Promise((r) => setTimeout(r, 5)); return 'v1'; };`,
    });
    const { instances: fns, events } = track(instances([spec('hot', dir)], { watch: true, debounceMs: 20 }));
    expect(ok(await fns.invoke('hot', {}))).toBe('v1');
    const running = fns.invoke('hot', { wait: go });
    fs.writeFileSync(path.join(dir, 'index.js'), `exports.main = async () => 'v2';`);
    await nextEvent(fns, (e) => e.type === 'replaced', events);
    const fresh = await fns.invoke('hot', {});
    expect(ok(fresh)).toBe('v2');
    expect(fresh.coldStart).toBe(true);
    fs.writeFileSync(go, '');
    expect(ok(await running)).toBe('v1');
    await nextEvent(fns, (e) => e.type === 'instance-exit' && e.cause === 'replaced', events);
    expect(fns.stats()[0]).toMatchObject({ instances: 1, generation: 1 });
  });

  it('notices a change in a sub-folder', async () => {
    const dir = functionFolder({
      'index.js': `exports.main = async () => require('./lib/answer.js');`,
      'lib/answer.js': `module.exports = 'first';`,
    });
    const { instances: fns, events } = track(instances([spec('deep', dir)], { watch: true, debounceMs: 20 }));
    expect(ok(await fns.invoke('deep', {}))).toBe('first');
    fs.writeFileSync(path.join(dir, 'lib', 'answer.js'), `module.exports = 'second';`);
    await nextEvent(fns, (e) => e.type === 'replaced', events);
    expect(ok(await fns.invoke('deep', {}))).toBe('second');
  });

  it('serves a function folder built after the emulator started', async () => {
    const dir = path.join(functionFolder({}), 'later');
    const { instances: fns } = track(instances([spec('later', dir)], { watch: true, debounceMs: 20 }));
    expect(failed(await fns.invoke('later', {})).kind).toBe('load');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'index.js'), `exports.main = async () => 'built';`);
    expect(ok(await fns.invoke('later', {}))).toBe('built');
  });

  it('replaces the instances of a function whose settings change', async () => {
    const dir = functionFolder({ 'index.js': `exports.main = async () => process.env.LEVEL;` });
    const { instances: fns } = track(instances([spec('conf', dir, { envVariables: { LEVEL: 'one' } })]));
    expect(ok(await fns.invoke('conf', {}))).toBe('one');
    fns.setFunctions([spec('conf', dir, { envVariables: { LEVEL: 'two' } })]);
    expect(ok(await fns.invoke('conf', {}))).toBe('two');
  });
});
