import { OpenDataRegistry, type UserInfo } from './open-data';

const CALLER = { OPENID: 'oAlice', APPID: 'wxlocal0000000000' };
const EMPTY: UserInfo = { nickName: '', avatarUrl: '', gender: 0, country: '', province: '', city: '', language: '' };
const LARGE: UserInfo = {
  ...EMPTY,
  nickName: '名'.repeat(1024),
  avatarUrl: 'h'.repeat(1024),
  country: '国'.repeat(1024),
  province: '省'.repeat(1024),
  city: '市'.repeat(1024),
  language: 'l'.repeat(1024),
};

const resolves = (registry: OpenDataRegistry, cloudID: string) => !('errCode' in registry.resolve(cloudID, CALLER));

describe('OpenDataRegistry', () => {
  it('keeps its entries under a byte budget, dropping the oldest first', () => {
    const registry = new OpenDataRegistry(() => 1_000, 5 * 60 * 1000, 100 * 1024);
    const ids = Array.from({ length: 200 }, () => registry.mint('oAlice', LARGE).cloudID);
    expect(registry.bytes).toBeLessThanOrEqual(100 * 1024);
    expect(registry.resolve(ids[0], CALLER)).toMatchObject({ errCode: -601005 });
    expect(resolves(registry, ids[199])).toBe(true);
    // The survivors are the newest ones, in one run.
    const kept = ids.map((id) => resolves(registry, id));
    expect(kept.indexOf(true)).toBeGreaterThan(0);
    expect(kept.slice(kept.indexOf(true)).every(Boolean)).toBe(true);
  });

  it('counts the bytes of each entry: small entries fit where large ones do not', () => {
    const registry = new OpenDataRegistry(() => 1_000, 5 * 60 * 1000, 100 * 1024);
    const small = Array.from({ length: 200 }, () => registry.mint('oAlice', EMPTY).cloudID);
    expect(small.every((id) => resolves(registry, id))).toBe(true);
    const large = registry.mint('oAlice', LARGE).cloudID;
    expect(resolves(registry, large)).toBe(true);
    expect(registry.bytes).toBeGreaterThan(12 * 1024);
    expect(registry.bytes).toBeLessThanOrEqual(100 * 1024);
  });

  it('still answers "expired" for a cloudID a little past its five minutes, then forgets it', () => {
    let now = 1_000;
    const registry = new OpenDataRegistry(() => now, 5 * 60 * 1000, 100 * 1024);
    const { cloudID } = registry.mint('oAlice', EMPTY);
    now += 5 * 60 * 1000 + 1;
    registry.mint('oBob', EMPTY);
    expect(registry.resolve(cloudID, CALLER)).toMatchObject({ errCode: -601006 });
    now += 5 * 60 * 1000 + 1;
    const before = registry.bytes;
    registry.mint('oBob', EMPTY);
    expect(registry.resolve(cloudID, CALLER)).toMatchObject({ errCode: -601005 });
    expect(registry.bytes).toBeLessThanOrEqual(before);
  });
});
