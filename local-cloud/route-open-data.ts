/**
 * `POST /open-data/cloud-id`: plays the WeChat client's getUserProfile for a caller.
 * `POST /open-data/phone-code`: plays the getPhoneNumber button (the code it gives a caller).
 */
import type { IncomingMessage, ServerResponse } from 'http';
import { parseCaller } from './caller';
import { HttpError, readJsonObject, sendJson } from './http-io';
import { parseUserInfo } from './open-data';
import type { LocalCloudRuntime } from './runtime';

/** The JSON body of a minting request and the caller it names (400 when the caller is not an openid). */
async function readCallerRequest(runtime: LocalCloudRuntime, req: IncomingMessage) {
  const body = await readJsonObject(req, runtime.config.maxBodyBytes);
  const caller = parseCaller(body.caller);
  if (typeof caller === 'string') throw new HttpError(400, caller);
  return { body, caller };
}

export async function mintCloudIdRoute(
  runtime: LocalCloudRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { body, caller } = await readCallerRequest(runtime, req);
  const info = parseUserInfo(body.data);
  if (typeof info === 'string') throw new HttpError(400, info);
  sendJson(res, 200, runtime.openData.mint(caller.openid, info));
}

const PURE_PHONE = /^\d{5,15}$/;
const COUNTRY_CODE = /^[1-9]\d{0,3}$/;

/** `{ caller, phoneNumber, countryCode? }` → `{ code }`: single use, valid 5 minutes, for that caller only. */
export async function mintPhoneCodeRoute(
  runtime: LocalCloudRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const { body, caller } = await readCallerRequest(runtime, req);
  const { phoneNumber, countryCode = '86' } = body;
  if (typeof phoneNumber !== 'string' || !PURE_PHONE.test(phoneNumber)) {
    throw new HttpError(400, 'phoneNumber must be 5-15 digits without the country code');
  }
  if (typeof countryCode !== 'string' || !COUNTRY_CODE.test(countryCode)) {
    throw new HttpError(400, 'countryCode must be 1-4 digits, e.g. "86"');
  }
  const code = runtime.phoneCodes.mint(caller.openid, phoneNumber, runtime.config.now(), countryCode);
  sendJson(res, 200, { code });
}
