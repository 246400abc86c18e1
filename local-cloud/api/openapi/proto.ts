/**
 * The protobuf messages of `wx.openApi`, from wx-openapi.proto (reconstructed from
 * wx-server-sdk 4.0.2's generated code; encodings verified byte-identical). The one place
 * protobufjs is used: everything leaves here as plain, checked TypeScript values.
 */
import { existsSync } from 'fs';
import * as path from 'path';
import * as protobuf from 'protobufjs';
import { invalidParam } from '../errors';

const PROTO_IN_PROJECT = path.join('local-cloud', 'api', 'openapi', 'wx-openapi.proto');

const API_TYPES = ['OPEN_API', 'INNER_API', 'SVRKIT_API', 'TOKEN_API'] as const;
export type ApiType = (typeof API_TYPES)[number];

export interface KeyValuePair {
  key: string;
  value: Uint8Array;
  contenttype?: string;
  filename?: string;
}

/** The `requestData` of a wx.openApi call. */
export interface CommApiData {
  apiType: ApiType;
  openapiData?: { pairs: KeyValuePair[] };
  svrkitData?: { apiName: string; reqData: Uint8Array };
  /** Set by `cloud.openapi({ appid })` (resource sharing). */
  appid?: string;
}

/** The answer of a wx.openApi call (CommOpenApiResp); unset fields are left out. */
export interface CommOpenApiResp {
  respData?: Uint8Array;
  contentType?: string;
  /** A platform error (-604101 no permission, …): the SDK throws it as errCode. */
  errorCode?: number;
  httpCode?: number;
  svrkitErrorCode?: number;
}

let root: protobuf.Root | null = null;

function type(name: string): protobuf.Type {
  root ??= protobuf.loadSync(protoFile());
  return root.lookupType(name);
}

/** Next to this module, or (from the bundle in .local-cloud/build/) in the project folder above. */
export function protoFile(from = __dirname): string {
  const beside = path.join(from, 'wx-openapi.proto');
  if (existsSync(beside)) return beside;
  for (let dir = from; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const file = path.join(dir, PROTO_IN_PROJECT);
    if (existsSync(file)) return file;
  }
  throw new Error(`${PROTO_IN_PROJECT} not found above ${from}`);
}

function decode(name: string, bytes: Uint8Array): Record<string, unknown> {
  const messageType = type(name);
  try {
    return messageType.toObject(messageType.decode(bytes), { enums: String });
  } catch {
    throw invalidParam(`requestData is not a valid ${name} message`);
  }
}

function encode(name: string, value: Record<string, unknown>): Uint8Array {
  const messageType = type(name);
  return messageType.encode(messageType.fromObject(value)).finish();
}

export function decodeCommApiData(bytes: Uint8Array): CommApiData {
  const raw = decode('CommApiData', bytes);
  const apiType = raw.apiType ?? 'OPEN_API';
  if (!API_TYPES.includes(apiType as ApiType)) throw invalidParam('requestData has an unknown apiType');
  const data: CommApiData = { apiType: apiType as ApiType };
  if (typeof raw.appid === 'string' && raw.appid !== '') data.appid = raw.appid;
  const openapi = raw.openapiData as { pairs?: Array<Record<string, unknown>> } | undefined;
  if (openapi) {
    data.openapiData = {
      pairs: (openapi.pairs ?? []).map((pair) => ({
        key: String(pair.key ?? ''),
        value: (pair.value as Uint8Array | undefined) ?? new Uint8Array(),
        ...(typeof pair.contenttype === 'string' ? { contenttype: pair.contenttype } : {}),
        ...(typeof pair.filename === 'string' ? { filename: pair.filename } : {}),
      })),
    };
  }
  const svrkit = raw.svrkitData as { apiName?: unknown; reqData?: Uint8Array } | undefined;
  if (svrkit) {
    data.svrkitData = { apiName: String(svrkit.apiName ?? ''), reqData: svrkit.reqData ?? new Uint8Array() };
  }
  return data;
}

export function decodeGetOpenDataReq(bytes: Uint8Array): { cloudidList: string[] } {
  const raw = decode('ApiGetOpenDataByCloudIdReq', bytes);
  return { cloudidList: ((raw.cloudidList as unknown[] | undefined) ?? []).map(String) };
}

export function encodeGetOpenDataResp(dataList: ReadonlyArray<{ cloudId: string; json: string }>): Uint8Array {
  return encode('ApiGetOpenDataByCloudIdResp', { dataList: dataList.map((item) => ({ ...item })) });
}

export function encodeCommOpenApiResp(resp: CommOpenApiResp): Uint8Array {
  return encode('CommOpenApiResp', { ...resp });
}
