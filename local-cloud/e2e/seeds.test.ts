/**
 * The seed scenarios (local-cloud/seeds/): each loads into a fresh data folder, and the built
 * functions, on the real SDK, answer what its manifest's scenario promises.
 */
import { mkdtempSync, rmSync } from 'fs';
import * as os from 'os';
import * as path from 'path';
import { isAnonymousProfile, type Profile } from '@shared/profile';
import { loadImport, readManifest, seedDir, seedNames } from '../data-io';
import { startTestCloud, type Caller, type TestCloud } from './harness';

let scratch: string;
let cloud: TestCloud | null = null;
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'seeds-test-'));
});
afterEach(async () => {
  await cloud?.close();
  cloud = null;
  rmSync(scratch, { recursive: true, force: true });
});

/** Starts an emulator from the seed; answers it and the scenario's caller. */
async function seeded(name: string): Promise<{ cloud: TestCloud; caller: Caller }> {
  const dataDir = path.join(scratch, 'data');
  const { manifest } = await loadImport(seedDir(name), dataDir);
  cloud = await startTestCloud({ dataDir });
  return { cloud, caller: manifest!.scenario!.callers[0] };
}

const dataOf = (answer: { body: unknown }) => (answer.body as { data: Record<string, unknown> }).data;

it('ships the five scenarios, each a valid export naming its caller', async () => {
  expect(seedNames()).toEqual(['anonymous-profile', 'deleted-user', 'getuserprofile-user', 'new-user', 'phone-bound']);
  for (const name of seedNames()) {
    const manifest = await readManifest(seedDir(name));
    expect(manifest?.scenario?.callers[0].openid).toMatch(/^o[A-Za-z0-9]{27}$/);
  }
  expect(() => seedDir('nobody')).toThrow(/no seed "nobody": choose one of anonymous-profile, /);
});

it('new-user: logged in once, no profile', async () => {
  const { cloud, caller } = await seeded('new-user');
  expect((await cloud.call('login', {}, caller)).body).toMatchObject({
    ok: true,
    data: { openid: caller.openid, isNewUser: false, profile: null, unionid: null },
  });
  expect(dataOf(await cloud.call('getProfile', {}, caller))).toMatchObject({
    loginCount: 2,
    createdAt: Date.parse('2024-01-01T08:00:00.000Z'),
    phone: null,
  });
});

it('getuserprofile-user: the profile from path A, with a unionid', async () => {
  const { cloud, caller } = await seeded('getuserprofile-user');
  expect(caller.unionid).toBeTruthy();
  const login = dataOf(await cloud.call('login', {}, caller));
  expect(login).toMatchObject({
    isNewUser: false,
    unionid: caller.unionid,
    profile: { nickName: '小明', source: 'getUserProfile', language: 'zh_CN' },
  });
  expect((login.profile as Profile).avatarUrl).toMatch(/^https:\/\/thirdwx\.qlogo\.cn\//);
});

it('anonymous-profile: the stored 微信用户 / gray avatar profile is answered; saving it again is refused', async () => {
  const { cloud, caller } = await seeded('anonymous-profile');
  const profile = dataOf(await cloud.call('login', {}, caller)).profile as Profile;
  expect(profile.nickName).toBe('微信用户');
  expect(isAnonymousProfile(profile)).toBe(true);
  const cloudID = await cloud.mintCloudID(caller, {
    nickName: profile.nickName,
    avatarUrl: profile.avatarUrl,
    gender: 0,
    language: 'zh_CN',
  });
  const saved = await cloud.call('saveProfile', { profile: { $cloudID: cloudID } }, caller);
  expect(saved.body).toMatchObject({ ok: false, error: { code: 'ANONYMOUS_PROFILE' } });
  expect(dataOf(await cloud.call('getProfile', {}, caller)).profile).toEqual(profile);
});

it('phone-bound: profile with a stored avatar and a bound phone', async () => {
  const { cloud, caller } = await seeded('phone-bound');
  const login = dataOf(await cloud.call('login', {}, caller));
  expect(login).toMatchObject({ isNewUser: false, maskedPhone: '138****0000', profile: { source: 'chooseAvatar' } });
  expect(dataOf(await cloud.call('getProfile', {}, caller)).phone).toEqual({
    purePhoneNumber: '13800000000',
    countryCode: '86',
    boundAt: Date.parse('2024-01-01T08:02:00.000Z'),
  });
  const avatarPath = String((login.profile as Profile).avatarUrl).replace(/^cloud:\/\/[^/]+\//, '');
  expect((await fetch(`${cloud.url}/storage/files/${avatarPath}`)).status).toBe(200);
  // The avatar is tracked on the record: deleting the account deletes the file.
  expect((await cloud.call('deleteAccount', {}, caller)).body).toEqual({
    ok: true,
    data: { deleted: true, filesDeleted: 1 },
  });
  expect((await fetch(`${cloud.url}/storage/files/${avatarPath}`)).status).toBe(404);
});

it('deleted-user: no record; the caller is a new user again', async () => {
  const { cloud, caller } = await seeded('deleted-user');
  expect((await cloud.call('getProfile', {}, caller)).body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  expect(dataOf(await cloud.call('login', {}, caller))).toMatchObject({ isNewUser: true, profile: null });
});
