/** cloud.callFunction inside a function, through the real wx-server-sdk (functions.invokeFunction). */
import { PlatformError } from './action';
import { startPlatformFixture, type PlatformFixture } from './test-support/platform-fixture';

const ALICE = 'oAlice0000000000000000000001';

let fx: PlatformFixture;
beforeEach(async () => {
  fx = await startPlatformFixture({
    functions: {
      echo: (data, call) => ({ got: data, callerFunction: call.caller?.functionName, forUser: call.caller?.openid }),
      silent: () => undefined,
      thrower: () => {
        throw new PlatformError('FUNCTIONS_EXECUTE_FAIL', 'errCode: -1 | errMsg: Error: boom');
      },
    },
  });
});
afterEach(() => fx.close());

describe('callFunction through the real SDK', () => {
  it('runs the callee for the caller`s user and answers its return value', async () => {
    const outcome = await fx.sdk(
      fx.tokenFor('login', ALICE),
      `
      const res = await cloud.callFunction({ name: 'echo', data: { a: 1, when: new Date(0), nested: { s: '你好' } } });
      const silent = await cloud.callFunction({ name: 'silent' });
      return { res, silent };
    `,
    );
    expect(outcome.result).toMatchObject({
      res: {
        errMsg: 'callFunction:ok',
        result: {
          got: { a: 1, when: '1970-01-01T00:00:00.000Z', nested: { s: '你好' } },
          callerFunction: 'login',
          forUser: ALICE,
        },
      },
      silent: { errMsg: 'callFunction:ok', result: null },
    });
    expect(fx.invocations.map(({ name, data, call }) => ({ name, data, source: call.source }))).toEqual([
      {
        name: 'echo',
        data: { a: 1, when: '1970-01-01T00:00:00.000Z', nested: { s: '你好' } },
        source: 'wx_client,scf',
      },
      { name: 'silent', data: {}, source: 'wx_client,scf' },
    ]);
  });

  it('answers the platform`s errors for a missing function and a failing one', async () => {
    const outcome = await fx.sdk(
      fx.tokenFor('login', ALICE),
      `
      const errors = [];
      for (const name of ['nope', 'thrower']) {
        try { await cloud.callFunction({ name }); } catch (error) { errors.push(error); }
      }
      return errors;
    `,
    );
    expect(outcome.result).toEqual([
      expect.objectContaining({
        errCode: -1,
        code: 'FUNCTIONS_EXECUTE_FAIL',
        errMsg: 'callFunction:fail [ResourceNotFound.FunctionName] FunctionName parameter could not be found.',
      }),
      expect.objectContaining({
        errCode: -1,
        code: 'FUNCTIONS_EXECUTE_FAIL',
        errMsg: 'callFunction:fail errCode: -1 | errMsg: Error: boom',
      }),
    ]);
    expect(fx.invocations.map(({ name }) => name)).toEqual(['thrower']);
  });
});
