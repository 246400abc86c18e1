/**
 * The emulated `wx.openApi` APIs, keyed by the `apiName` the SDK sends: `ApiGetOpenDataByCloudId`
 * for cloud.getOpenData, the dotted name (`security.msgSecCheck`) for `cloud.openapi.*`.
 * Emulating one more API is one more entry: for a cloud call, usually
 * `'a.b': wechatJsonApi(async (body, call) => ({ …WeChat's JSON answer… }))`.
 */
import { PhoneCodes } from '../../../emulation/phone-codes';
import type { CallerIdentity } from '../caller-identity';
import { ContentSecurity, mediaCheckAsyncApi, msgSecCheckApi } from './content-security-apis';
import { invalidParam } from '../errors';
import {
  decodeGetOpenDataReq,
  encodeGetOpenDataResp,
  type CommApiData,
  type CommOpenApiResp,
  type KeyValuePair,
} from './proto';

export interface OpenApiCall {
  apiName: string;
  request: CommApiData;
  /** The calling invocation, or null (no token, or a stale one). */
  caller: CallerIdentity | null;
}

export interface EmulatedOpenApi {
  /**
   * Whether the calling function's config.json must list the API in `permissions.openapi`
   * (every `cloud.openapi.*` cloud call); if it does not, the call answers -604101.
   */
  needsDeclaration: boolean;
  handle(call: OpenApiCall): Promise<CommOpenApiResp>;
}

export type EmulatedOpenApiTable = Readonly<Record<string, EmulatedOpenApi>>;

/** The SDK parses respData as JSON when contentType says so (and as bytes otherwise). */
const WECHAT_JSON = 'application/json; charset=UTF-8';

/** A media field of a cloud call (`{ contentType, value: Buffer }` in the function). */
export interface MediaField {
  contentType: string;
  value: Buffer;
  filename?: string;
}

export type WechatJsonHandler = (
  body: Readonly<Record<string, unknown>>,
  call: OpenApiCall,
) => Promise<Record<string, unknown>>;

/**
 * A cloud call answering WeChat JSON. `body` is the API's JSON body as WeChat receives it (keys
 * in snake_case, media fields as MediaField); the handler answers WeChat's JSON (snake_case;
 * `errcode` ≠ 0 makes the SDK throw it as errCode with `errmsg`). `errcode: 0, errmsg: 'ok'`
 * are added when absent.
 */
export function wechatJsonApi(handler: WechatJsonHandler): EmulatedOpenApi {
  return {
    needsDeclaration: true,
    handle: async (call) => {
      if (call.request.apiType !== 'OPEN_API' || !call.request.openapiData) {
        throw invalidParam(`${call.apiName} expects a cloud call (OPEN_API) request`);
      }
      const answer = await handler(bodyOf(call.request.openapiData.pairs), call);
      const json = { errcode: 0, errmsg: 'ok', ...answer };
      return { respData: Buffer.from(JSON.stringify(json)), contentType: WECHAT_JSON, httpCode: 200 };
    },
  };
}

/** Resolves a cloudID for a caller (the OpenDataRegistry does). */
export interface OpenDataResolver {
  resolve(cloudID: string, caller: { OPENID?: string; APPID?: string }): Readonly<Record<string, unknown>>;
}

/**
 * cloud.getOpenData({ list }): each cloudID resolved for the CALLING user, as the platform
 * resolves top-level CloudID fields: `{ cloudID, data: { …, watermark } }`, or
 * `{ cloudID, errCode, errMsg }` (-601005 invalid, -601006 expired, -601007 another user's).
 * It is not a cloud call: config.json need not declare it.
 */
export function getOpenDataApi(openData: OpenDataResolver, appid: string): EmulatedOpenApi {
  return {
    needsDeclaration: false,
    handle: async ({ request, caller }) => {
      if (request.apiType !== 'SVRKIT_API' || !request.svrkitData) {
        throw invalidParam('getOpenData expects a SVRKIT_API request');
      }
      const { cloudidList } = decodeGetOpenDataReq(request.svrkitData.reqData);
      const who = { OPENID: caller?.openid, APPID: caller?.appid ?? appid };
      const dataList = cloudidList.map((cloudId) => ({
        cloudId,
        json: JSON.stringify(openData.resolve(cloudId, who)),
      }));
      return { respData: encodeGetOpenDataResp(dataList), svrkitErrorCode: 0 };
    },
  };
}

/**
 * cloud.openapi.phonenumber.getPhoneNumber({ code }): redeems a code minted for the CALLING user
 * (`POST /open-data/phone-code`): `phone_info` with a watermark of the caller's appid, or
 * errcode 40029 (invalid, expired, another user's) / 40163 (used), see emulation/phone-codes.ts.
 */
export function getPhoneNumberApi(codes: PhoneCodes, appid: string, now: () => number): EmulatedOpenApi {
  return wechatJsonApi(async (body, { caller }) => {
    const code = typeof body.code === 'string' ? body.code : '';
    return codes.redeem(code, { openid: caller?.openid, appid: caller?.appid ?? appid }, now());
  });
}

/** What the content security calls need: their state, and how to tell the emulator's own file URLs. */
export interface ContentSecuritySetup {
  contentSecurity: ContentSecurity;
  fileIdOfUrl: (url: string) => string | null;
}

/** The emulator's table: getOpenData, the phone number and content security. */
export function defaultOpenApis(
  openData: OpenDataResolver,
  appid: string,
  phoneCodes: PhoneCodes = new PhoneCodes(),
  now: () => number = Date.now,
  security: ContentSecuritySetup = { contentSecurity: new ContentSecurity(), fileIdOfUrl: () => null },
): EmulatedOpenApiTable {
  return {
    ApiGetOpenDataByCloudId: getOpenDataApi(openData, appid),
    'phonenumber.getPhoneNumber': getPhoneNumberApi(phoneCodes, appid, now),
    'security.msgSecCheck': msgSecCheckApi(security.contentSecurity, now),
    'security.mediaCheckAsync': mediaCheckAsyncApi(security.contentSecurity, security.fileIdOfUrl, now),
  };
}

/** `{ [key]: JSON.parse(value) }`, as the SDK split the body into pairs (media stay bytes). */
function bodyOf(pairs: readonly KeyValuePair[]): Record<string, unknown> {
  const body: Record<string, unknown> = Object.create(null);
  for (const pair of pairs) {
    // The SDK gives media a filename (and means to give a content type: its converter's
    // `contentType` misses the message's `contenttype` field, so it may arrive empty).
    if (pair.contenttype !== undefined || pair.filename !== undefined) {
      const media: MediaField = { contentType: pair.contenttype ?? '', value: Buffer.from(pair.value) };
      if (pair.filename !== undefined) media.filename = pair.filename;
      body[pair.key] = media;
      continue;
    }
    try {
      body[pair.key] = JSON.parse(Buffer.from(pair.value).toString('utf8'));
    } catch {
      throw invalidParam(`cloud call field ${pair.key.slice(0, 100)} is not JSON`);
    }
  }
  return body;
}
