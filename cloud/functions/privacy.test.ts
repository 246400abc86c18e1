/**
 * No openid, unionid, nickname or avatar reaches any log: the platform logger (captured by the
 * double) or the console, whether the call succeeds or fails at any operation.
 */
import { avatarCloudPath } from '../../miniprogram/shared/avatar-path';
import { ALICE, useFakeCloud } from '../../test/fake-cloud';
import { main as deleteAccount } from './deleteAccount';
import { main as getProfile } from './getProfile';
import { main as login } from './login';
import { main as saveProfile } from './saveProfile';

const cloud = useFakeCloud();
const UNIONID = 'uAliceUnion0000000001';
const NICKNAME = '秘密昵称';

it('logs nothing personal from any function, on success or failure', async () => {
  const consoleOutput: string[] = [];
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      consoleOutput.push(
        args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : JSON.stringify(a))).join(' '),
      );
    }),
  );
  const sdk = cloud();
  sdk.withCollection('users').callAs({ ...ALICE, UNIONID });
  const avatar = (
    await sdk.uploadFile({ cloudPath: avatarCloudPath(ALICE.OPENID!, 1, 'a.png'), fileContent: Buffer.from('x') })
  ).fileID;
  const second = (
    await sdk.uploadFile({ cloudPath: avatarCloudPath(ALICE.OPENID!, 2, 'a.png'), fileContent: Buffer.from('x') })
  ).fileID;
  const calls = [
    () => login({ openid: ALICE.OPENID }),
    () => saveProfile({ nickName: NICKNAME, avatarFileID: avatar }),
    () => saveProfile({ nickName: NICKNAME, avatarFileID: second }),
    () => getProfile({}),
    () => deleteAccount({}),
  ];
  for (let nth = 1; nth <= 4; nth++) {
    for (const call of calls) {
      sdk.failOnAnyOperation(nth, Object.assign(new Error(`boom ${ALICE.OPENID} ${NICKNAME}`), { errCode: -501001 }));
      await call();
    }
  }
  for (const call of calls) await call();
  spies.forEach((spy) => spy.mockRestore());

  expect(sdk.logs.length).toBeGreaterThan(0);
  const everything = JSON.stringify(sdk.logs) + consoleOutput.join('\n');
  for (const secret of [ALICE.OPENID!, UNIONID, NICKNAME, avatar, second, 'avatars/']) {
    expect({ secret, logged: everything.includes(secret) }).toEqual({ secret, logged: false });
  }
});
