/** TEST SUPPORT. Runs a script against the real wx-server-sdk in a child process (sdk-child.cjs). */
import { spawn } from 'child_process';
import * as path from 'path';

const CHILD = path.join(__dirname, 'sdk-child.cjs');
const MARK = 'SDK_CHILD_RESULT ';

export interface SdkError {
  errCode?: number;
  errMsg?: string;
  code?: string;
  message?: string;
  requestId?: string;
}

export type SdkOutcome = { result: unknown; error?: undefined } | { error: SdkError; result?: undefined };

/** The environment the platform gives a function instance (sdk-protocol.md §1.1). */
export function instanceEnv(options: {
  apiUrl: string;
  envId: string;
  secretId: string;
  appid: string;
  openid: string;
  token: string;
}): Record<string, string> {
  return {
    TENCENTCLOUD_RUNENV: 'SCF',
    TENCENTCLOUD_REGION: 'ap-shanghai',
    SCF_NAMESPACE: options.envId,
    TCB_ENV: options.envId,
    TCB_SOURCE: 'wx_client',
    TRIGGER_SRC: 'tcb',
    TCB_CONTEXT_KEYS: 'TCB_ENV,TCB_SEQID,TRIGGER_SRC,TCB_ISANONYMOUS_USER,TCB_SESSIONTOKEN,TCB_SOURCE',
    TCB_CONTEXT_CNFG: JSON.stringify({ URL: options.apiUrl }),
    TENCENTCLOUD_SECRETID: options.secretId,
    TENCENTCLOUD_SECRETKEY: 'emulator-secret-key',
    WX_CONTEXT_KEYS: 'WX_APPID,WX_OPENID,WX_API_TOKEN',
    WX_APPID: options.appid,
    WX_OPENID: options.openid,
    WX_API_TOKEN: options.token,
  };
}

/** `script` is the body of `async (cloud, env, fetchUrl) => { … }`; its return value is the result. */
export function runSdk(env: Readonly<Record<string, string>>, script: string): Promise<SdkOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD], {
      env: { PATH: process.env.PATH ?? '', ...env, SDK_CHILD_SCRIPT: script },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stdout.split('\n').find((text) => text.startsWith(MARK));
      if (code !== 0 || line === undefined) {
        reject(new Error(`SDK child exited ${code}: ${stderr.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(line.slice(MARK.length)) as SdkOutcome);
    });
  });
}
