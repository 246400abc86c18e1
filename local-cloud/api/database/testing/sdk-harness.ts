/**
 * For the database tests: a minimal platform API server (POST JSON → the ActionTable) and a
 * child process running the real wx-server-sdk against it (sdk-child.cjs). The emulator's
 * real server is api/platform-api.ts; this one only does what the SDK needs to talk to a table.
 */
import { spawn, type ChildProcess } from 'child_process';
import { createServer, type Server } from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import * as readline from 'readline';
import { PlatformError, type ActionTable } from '../../action';

export interface SdkError {
  errCode?: number;
  errMsg?: string;
  code?: string;
  message?: string;
}

export interface SdkOutcome<T> {
  result?: T;
  error?: SdkError;
}

export interface SdkHarness {
  /** Runs an async function body (given cloud, db, dbNoThrow, _, $) in the SDK process. */
  run<T = unknown>(body: string): Promise<SdkOutcome<T>>;
  /** As run(), but throws when the SDK threw. */
  ok<T = unknown>(body: string): Promise<T>;
  /** As run(), but throws unless the SDK threw; answers its error. */
  fails(body: string): Promise<SdkError>;
  /** The actions the SDK sent, in order (cleared by each call). */
  takeActions(): string[];
  close(): Promise<void>;
}

const ENV_ID = 'emu-env-test';

function serve(table: ActionTable, actions: string[]): Promise<Server> {
  let requests = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      const action = String(body.action);
      actions.push(action);
      const requestId = `test-req-${(requests += 1)}`;
      const handler = table[action];
      const answer = handler
        ? handler(body, { requestId, source: String(req.headers['x-tcb-source'] ?? '') }).then(
            (result) =>
              result.data === undefined
                ? { requestId, ...result.top }
                : { requestId, ...result.top, data: result.data },
            (error: unknown) =>
              error instanceof PlatformError
                ? { requestId, code: error.code, message: error.message }
                : { requestId, code: 'SYS_ERR', message: String(error instanceof Error ? error.stack : error) },
          )
        : Promise.resolve({ requestId, code: 'NOT_EMULATED', message: `no handler for ${action}` });
      void answer.then((json) => {
        const text = JSON.stringify(json);
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        res.end(text);
      });
    });
  });
  server.keepAliveTimeout = 10_000;
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

export async function startSdkHarness(table: ActionTable): Promise<SdkHarness> {
  const actions: string[] = [];
  const server = await serve(table, actions);
  const { port } = server.address() as AddressInfo;
  const child: ChildProcess = spawn(process.execPath, [path.join(__dirname, 'sdk-child.cjs')], {
    cwd: path.resolve(__dirname, '../../../..'),
    stdio: ['pipe', 'pipe', 'inherit'],
    env: {
      PATH: process.env.PATH,
      TENCENTCLOUD_RUNENV: 'SCF',
      TENCENTCLOUD_REGION: 'ap-shanghai',
      SCF_NAMESPACE: ENV_ID,
      TCB_ENV: ENV_ID,
      TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SEQID,TRIGGER_SRC,TCB_SOURCE',
      TCB_SEQID: 'seq-test',
      TCB_SOURCE: 'wx_client,scf',
      TRIGGER_SRC: 'tcb',
      TCB_CONTEXT_CNFG: JSON.stringify({ URL: `http://127.0.0.1:${port}/admin` }),
      TENCENTCLOUD_SECRETID: 'AKIDtest',
      TENCENTCLOUD_SECRETKEY: 'test-secret-key',
      WX_CONTEXT_KEYS: 'WX_APPID,WX_OPENID,WX_API_TOKEN',
      WX_APPID: 'wxtest000000000001',
      WX_OPENID: 'o-test-openid',
      WX_API_TOKEN: 'test-api-token',
    },
  });
  const pending = new Map<number, (outcome: SdkOutcome<unknown>) => void>();
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as { ready?: boolean; id?: number } & SdkOutcome<unknown>;
    if (message.ready) return ready();
    const resolve = pending.get(message.id!);
    pending.delete(message.id!);
    resolve?.({ result: message.result, error: message.error });
  });
  await started;
  let nextId = 0;
  const run = <T>(body: string) =>
    new Promise<SdkOutcome<T>>((resolve) => {
      nextId += 1;
      pending.set(nextId, resolve as (outcome: SdkOutcome<unknown>) => void);
      child.stdin!.write(`${JSON.stringify({ id: nextId, body })}\n`);
    });
  return {
    run,
    async ok<T>(body: string) {
      const outcome = await run<T>(body);
      if (outcome.error) throw new Error(`the SDK threw: ${JSON.stringify(outcome.error)}`);
      return outcome.result as T;
    },
    async fails(body: string) {
      const outcome = await run(body);
      if (!outcome.error) throw new Error(`the SDK did not throw; it answered ${JSON.stringify(outcome.result)}`);
      return outcome.error;
    },
    takeActions: () => actions.splice(0),
    async close() {
      child.kill();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
