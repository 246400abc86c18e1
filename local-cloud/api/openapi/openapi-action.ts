/**
 * `wx.openApi` (cloud.getOpenData, cloud.openapi.*): a multipart request whose `requestData`
 * is a protobuf CommApiData, answered with a protobuf CommOpenApiResp. The API is looked up in
 * the emulated-API table by `apiName`; a cloud call the calling function's config.json does not
 * declare answers `errorCode: -604101`, which the SDK throws as errCode -604101.
 */
import type { ActionTable } from '../action';
import { callerOf, type IdentityOf } from '../caller-identity';
import { invalidParam, notEmulated } from '../errors';
import type { EmulatedOpenApiTable } from './emulated-apis';
import type { OpenApiPermissions } from './permissions';
import { decodeCommApiData, encodeCommOpenApiResp, type CommOpenApiResp } from './proto';

/** WX_FUNCTIONS_SERVER_OPENAPI_NO_PERMISSION: "function has no permission to call this API". */
export const NO_PERMISSION = -604101;
/** Any content type but exactly `application/json; charset=utf-8` keeps the SDK decoding protobuf. */
const PROTOBUF = 'application/octet-stream';

export interface OpenApiActionsOptions {
  apis: EmulatedOpenApiTable;
  identityOf: IdentityOf;
  permissionsOf: OpenApiPermissions;
  /** The emulator's AppID: resource sharing with another (`cloud.openapi({ appid })`) is not emulated. */
  appid: string;
}

export function createOpenApiActions(options: OpenApiActionsOptions): ActionTable {
  const { apis, identityOf, permissionsOf, appid } = options;
  const answer = (resp: CommOpenApiResp) => ({
    binary: { contentType: PROTOBUF, body: encodeCommOpenApiResp(resp) },
  });
  return {
    'wx.openApi': async (request) => {
      const { apiName, requestData } = request;
      if (typeof apiName !== 'string' || apiName === '') throw invalidParam('apiName is missing');
      if (!Buffer.isBuffer(requestData)) throw invalidParam('requestData must be a binary form part');
      const data = decodeCommApiData(requestData);
      if (data.appid !== undefined && data.appid !== appid) {
        throw notEmulated('calling the APIs of another AppID (cloud.openapi({ appid }), resource sharing)');
      }
      const api = Object.prototype.hasOwnProperty.call(apis, apiName) ? apis[apiName] : undefined;
      const caller = callerOf(request, identityOf);
      // The platform checks the permission first: an undeclared cloud call is refused, emulated or not.
      if (api ? api.needsDeclaration : data.apiType === 'OPEN_API') {
        // A call without a running invocation behind it has no config.json to declare anything.
        const declared = caller ? await permissionsOf(caller.functionName) : [];
        if (!declared.includes(apiName)) return answer({ errorCode: NO_PERMISSION });
      }
      if (!api) {
        const emulated = Object.keys(apis).join(', ');
        throw notEmulated(`the cloud call ${apiName.slice(0, 100)} (emulated: ${emulated})`);
      }
      return answer(await api.handle({ apiName, request: data, caller }));
    },
  };
}
