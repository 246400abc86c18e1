/**
 * The codes of the getPhoneNumber button, shared by the in-memory double and the local cloud:
 * minted for one user and one number, single use, valid 5 minutes. Redeeming answers WeChat's
 * JSON for phonenumber.getPhoneNumber: `phone_info`, or `errcode` 40029 (invalid code: unknown,
 * expired or minted for another user) / 40163 (code been used).
 */
import { randomBytes } from 'node:crypto';

export const PHONE_CODE_TTL_MS = 5 * 60 * 1000;
export const PHONE_CODE_INVALID = 40029;
export const PHONE_CODE_USED = 40163;

interface PhoneCodeEntry {
  openid: string;
  purePhoneNumber: string;
  countryCode: string;
  expiresAt: number;
  used: boolean;
}

export type PhoneCode = PhoneCodeEntry & { code: string };

/** WeChat's JSON answer (snake_case), as a cloud call's body. */
export type PhoneNumberAnswer =
  { errcode: 0; errmsg: 'ok'; phone_info: Record<string, unknown> } | { errcode: number; errmsg: string };

export class PhoneCodes {
  private readonly entries = new Map<string, PhoneCodeEntry>();

  /** A code for `openid`'s number, as the button gives the client (`e.detail.code`). */
  mint(openid: string, purePhoneNumber: string, now: number, countryCode = '86'): string {
    this.forgetExpired(now);
    const code = randomBytes(24).toString('hex');
    this.entries.set(code, { openid, purePhoneNumber, countryCode, expiresAt: now + PHONE_CODE_TTL_MS, used: false });
    return code;
  }

  /** The codes not yet redeemed, to hand to another registry (a process running a built function). */
  unredeemed(): PhoneCode[] {
    return [...this.entries].filter(([, entry]) => !entry.used).map(([code, entry]) => ({ code, ...entry }));
  }

  /** Takes over a code another registry minted (see unredeemed). */
  adopt({ code, ...entry }: PhoneCode): void {
    this.entries.set(code, entry);
  }

  /** Redeems `code` for the calling user of mini program `appid`. */
  redeem(code: string, caller: { openid?: string; appid: string }, now: number): PhoneNumberAnswer {
    const entry = this.entries.get(code);
    if (!entry || entry.expiresAt <= now || entry.openid !== caller.openid) {
      return { errcode: PHONE_CODE_INVALID, errmsg: 'invalid code' };
    }
    if (entry.used) return { errcode: PHONE_CODE_USED, errmsg: 'code been used' };
    entry.used = true;
    const { purePhoneNumber, countryCode } = entry;
    return {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: countryCode === '86' ? purePhoneNumber : `+${countryCode}${purePhoneNumber}`,
        purePhoneNumber,
        countryCode,
        watermark: { appid: caller.appid, timestamp: Math.floor(now / 1000) },
      },
    };
  }

  private forgetExpired(now: number): void {
    // Used codes are kept until they expire, so a reuse answers "code been used".
    for (const [code, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(code);
  }
}
