import fc from 'fast-check';
import { checkCloudPath } from '../../storage';
import { TempUrlSigner } from './temp-urls';

const SEGMENT_CHARS = 'abcXYZ019._@-'.split('');
const segment = fc
  .array(fc.constantFrom(...SEGMENT_CHARS), { minLength: 1, maxLength: 12 })
  .map((chars) => chars.join(''))
  .filter((text) => checkCloudPath(text) !== null);
const cloudPath = fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/'));

describe('temp URLs', () => {
  it('come out of the SDK`s encodeURI unchanged and grant their own file only', () => {
    let now = 1_700_000_000_000;
    const signer = new TempUrlSigner(() => now);
    fc.assert(
      fc.property(cloudPath, cloudPath, fc.integer({ min: 1, max: 7200 }), (file, other, maxAge) => {
        const query = signer.grant(file, maxAge);
        const url = `http://127.0.0.1:3000/tcb/files/${file}?${query}`;
        expect(encodeURI(url)).toBe(url);
        expect(signer.allows(file, new URLSearchParams(query))).toBe(true);
        if (other !== file) expect(signer.allows(other, new URLSearchParams(query))).toBe(false);
        now += maxAge * 1000;
        expect(signer.allows(file, new URLSearchParams(query))).toBe(false);
      }),
    );
  });

  it('are refused with a forged expiry or signature, and by another run', () => {
    const signer = new TempUrlSigner(() => 0);
    const query = new URLSearchParams(signer.grant('a.png', 60));
    const later = new URLSearchParams(query);
    later.set('t', String(Number(query.get('t')) + 3600));
    expect(signer.allows('a.png', later)).toBe(false);
    expect(signer.allows('a.png', new URLSearchParams(`t=${query.get('t')}&sign=${'0'.repeat(64)}`))).toBe(false);
    expect(signer.allows('a.png', new URLSearchParams(`t=${query.get('t')}`))).toBe(false);
    expect(new TempUrlSigner(() => 0).allows('a.png', query)).toBe(false);
  });
});
