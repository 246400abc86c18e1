/**
 * Temporary download URLs: `<base>/files/<cloudPath>?t=<expiry, s>&sign=<hmac>`, signed with a
 * key of this run. The SDK's downloadFile requests `encodeURI(tempFileURL)`, so the URL must
 * come out of encodeURI unchanged: the cloudPath goes in raw (checkCloudPath allows only
 * `A-Z a-z 0-9 . _ @ -` and `/`, none of which encodeURI touches), as do the hex and digits.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'crypto';

/** The platform's default lifetime of a temp URL when the caller gives no maxAge. */
export const DEFAULT_MAX_AGE_S = 7200;
export const MAX_MAX_AGE_S = 7 * 24 * 3600;

export class TempUrlSigner {
  private readonly key = randomBytes(32);

  constructor(private readonly now: () => number) {}

  /** The query string (without `?`) granting `cloudPath` for `maxAgeS` seconds from now. */
  grant(cloudPath: string, maxAgeS: number): string {
    const expires = Math.floor(this.now() / 1000) + maxAgeS;
    return `t=${expires}&sign=${this.sign(cloudPath, expires)}`;
  }

  /** Whether `query` (t and sign) grants `cloudPath` now. */
  allows(cloudPath: string, query: URLSearchParams): boolean {
    const expiresText = query.get('t') ?? '';
    const sign = query.get('sign') ?? '';
    if (!/^\d{1,12}$/.test(expiresText) || !/^[0-9a-f]{64}$/.test(sign)) return false;
    const expires = Number(expiresText);
    if (expires * 1000 <= this.now()) return false;
    return timingSafeEqual(Buffer.from(sign, 'hex'), Buffer.from(this.sign(cloudPath, expires), 'hex'));
  }

  private sign(cloudPath: string, expires: number): string {
    return createHmac('sha256', this.key).update(`${expires}\n${cloudPath}`).digest('hex');
  }
}
