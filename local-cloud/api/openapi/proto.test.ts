/**
 * The .proto against the SDK's own generated protobuf classes (wx-server-sdk registers them in
 * protobufjs's shared registry when required): what the SDK encodes decodes here, and what is
 * encoded here decodes in the SDK, field for field.
 */
import * as path from 'path';
import {
  decodeCommApiData,
  decodeGetOpenDataReq,
  encodeCommOpenApiResp,
  encodeGetOpenDataResp,
  protoFile,
} from './proto';

interface SdkMessageClass {
  encode(value: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  toObject(message: object, options: object): Record<string, unknown>;
}

const NODE_MODULES = path.join(__dirname, '..', '..', '..', 'node_modules');
// Real SDK by path: the jest project maps the bare name `wx-server-sdk` to the local double.
require(path.join(NODE_MODULES, 'wx-server-sdk'));
const sdkClasses = (require(path.join(NODE_MODULES, 'protobufjs', 'minimal')) as { roots: Record<string, unknown> })
  .roots.default as Record<string, SdkMessageClass>;

describe('wx-openapi.proto', () => {
  it('decodes the CommApiData the SDK sends for getOpenData and for a cloud call', () => {
    const getOpenData = sdkClasses.CommApiData.encode({
      apiType: 2,
      svrkitData: {
        apiName: 'ApiGetOpenDataByCloudId',
        reqData: sdkClasses.ApiGetOpenDataByCloudIdReq.encode({ cloudidList: ['cloudid-AAA', 'cloudid-BBB'] }).finish(),
      },
    }).finish();
    const decoded = decodeCommApiData(getOpenData);
    expect(decoded).toMatchObject({ apiType: 'SVRKIT_API', svrkitData: { apiName: 'ApiGetOpenDataByCloudId' } });
    expect(decodeGetOpenDataReq(decoded.svrkitData!.reqData)).toEqual({ cloudidList: ['cloudid-AAA', 'cloudid-BBB'] });

    const cloudCall = sdkClasses.CommApiData.encode({
      apiType: 0,
      appid: 'wxother',
      openapiData: {
        pairs: [
          { key: 'content', value: Buffer.from('"hello 你好"') },
          { key: 'media', value: Buffer.from([1, 2]), contenttype: 'image/png', filename: 'media.png' },
        ],
      },
    }).finish();
    const call = decodeCommApiData(cloudCall);
    expect(call.apiType).toBe('OPEN_API');
    expect(call.appid).toBe('wxother');
    expect(
      call.openapiData!.pairs.map((pair) => ({ ...pair, value: Buffer.from(pair.value).toString('hex') })),
    ).toEqual([
      { key: 'content', value: Buffer.from('"hello 你好"').toString('hex') },
      { key: 'media', value: '0102', contenttype: 'image/png', filename: 'media.png' },
    ]);
  });

  it('encodes answers the SDK decodes', () => {
    const resp = sdkClasses.CommOpenApiResp.decode(
      encodeCommOpenApiResp({
        respData: encodeGetOpenDataResp([{ cloudId: 'c1', json: '{"a":1}' }]),
        svrkitErrorCode: 0,
      }),
    );
    const { respData } = sdkClasses.CommOpenApiResp.toObject(resp, {}) as { respData: Uint8Array };
    const list = sdkClasses.ApiGetOpenDataByCloudIdResp.toObject(
      sdkClasses.ApiGetOpenDataByCloudIdResp.decode(respData),
      {},
    );
    expect(list).toEqual({ dataList: [{ cloudId: 'c1', json: '{"a":1}' }] });
    expect(
      sdkClasses.CommOpenApiResp.toObject(
        sdkClasses.CommOpenApiResp.decode(encodeCommOpenApiResp({ errorCode: -604101 })),
        {},
      ),
    ).toEqual({
      errorCode: -604101,
    });
  });

  it('refuses bytes that are no CommApiData', () => {
    expect(() => decodeCommApiData(Buffer.from([0xff, 0xff, 0xff]))).toThrow(
      'requestData is not a valid CommApiData message',
    );
  });

  it('is found from the bundle`s folder as from its own', () => {
    expect(protoFile(path.join(__dirname, '..', '..', '..', '.local-cloud', 'build'))).toBe(
      path.join(__dirname, 'wx-openapi.proto'),
    );
  });
});
