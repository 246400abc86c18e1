/** Storage through the real wx-server-sdk: uploadFile, getTempFileURL, downloadFile, deleteFile. */
import { existsSync, readFileSync, readdirSync } from 'fs';
import * as http from 'http';
import * as path from 'path';
import { bucketFor } from '../../config';
import { ENV_ID, startPlatformFixture, type PlatformFixture } from '../test-support/platform-fixture';

const OPENID = 'oAlice0000000000000000000001';
const FILE_PREFIX = `cloud://${ENV_ID}.${bucketFor(ENV_ID)}/`;

let fx: PlatformFixture;
beforeEach(async () => {
  fx = await startPlatformFixture({ maxUploadBytes: 1024 });
});
afterEach(() => fx.close());

function get(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('storage through the real SDK', () => {
  it('uploads a file, gives temp URLs that download it, and deletes it once', async () => {
    const outcome = await fx.sdk(
      fx.tokenFor('saveProfile', OPENID),
      `
      const up = await cloud.uploadFile({ cloudPath: 'avatars/alice/a@1.png', fileContent: Buffer.from('avatar ✓') });
      const foreign = up.fileID.replace('${ENV_ID}.', 'other-env.');
      const temp = await cloud.getTempFileURL({
        fileList: [up.fileID, { fileID: up.fileID, maxAge: 60 }, up.fileID + '.missing', foreign],
      });
      const fetched = await fetchUrl(temp.fileList[0].tempFileURL);
      const downloaded = await cloud.downloadFile({ fileID: up.fileID });
      const first = await cloud.deleteFile({ fileList: [up.fileID] });
      const second = await cloud.deleteFile({ fileList: [up.fileID, foreign] });
      let gone;
      try { await cloud.downloadFile({ fileID: up.fileID }); } catch (error) { gone = error; }
      return { up, temp, fetched, downloaded, first, second, gone };
    `,
    );
    expect(outcome.error).toBeUndefined();
    const fileID = `${FILE_PREFIX}avatars/alice/a@1.png`;
    const foreign = fileID.replace(`${ENV_ID}.`, 'other-env.');
    expect(outcome.result).toMatchObject({
      up: { fileID, errMsg: 'uploadFile:ok' },
      temp: {
        errMsg: 'getTempFileURL:ok',
        fileList: [
          { fileID, status: 0, errMsg: 'ok', tempFileURL: expect.stringMatching(`^${fx.url}/tcb/files/`) },
          { fileID, status: 0, maxAge: 60, tempFileURL: expect.stringMatching(`^${fx.url}/tcb/files/`) },
          { fileID: `${fileID}.missing`, status: -503003, errMsg: 'storage file not exists', tempFileURL: '' },
          { fileID: foreign, status: -503003, errMsg: 'storage file not exists', tempFileURL: '' },
        ],
      },
      fetched: { status: 200, body: 'avatar ✓' },
      downloaded: { fileContent: { $buffer: 'avatar ✓' }, errMsg: 'downloadFile:ok' },
      first: { fileList: [{ fileID, status: 0, errMsg: 'ok' }], errMsg: 'deleteFile:ok' },
      second: {
        fileList: [
          { fileID, status: -503003, errMsg: 'storage file not exists' },
          { fileID: foreign, status: -503003, errMsg: 'storage file not exists' },
        ],
      },
      gone: { errCode: -1, errMsg: 'downloadFile:fail storage file not exists', code: 'STORAGE_FILE_NONEXIST' },
    });
    expect(existsSync(path.join(fx.storageDir, 'avatars', 'alice', 'a@1.png'))).toBe(false);
  });

  it('refuses an unsafe cloudPath and a file over the limit, leaving nothing stored', async () => {
    const outcome = await fx.sdk(
      fx.tokenFor('saveProfile', OPENID),
      `
      const errors = [];
      for (const [cloudPath, size] of [['../escape.png', 1], ['big.bin', 1025]]) {
        try { await cloud.uploadFile({ cloudPath, fileContent: Buffer.alloc(size, 1) }); errors.push(null); }
        catch (error) { errors.push(error); }
      }
      return errors;
    `,
    );
    expect(outcome.result).toEqual([
      expect.objectContaining({
        errCode: -1,
        code: 'INVALID_PARAM',
        errMsg: expect.stringMatching(/^uploadFile:fail cloudPath/),
      }),
      expect.objectContaining({
        errCode: -1,
        code: 'STORAGE_REQUEST_FAIL',
        errMsg: expect.stringMatching(/^uploadFile:fail \[EntityTooLarge\]/),
      }),
    ]);
    expect(readdirSync(fx.storageDir).filter((name) => name !== '.uploads')).toEqual([]);
    expect(
      existsSync(path.join(fx.storageDir, '.uploads')) ? readdirSync(path.join(fx.storageDir, '.uploads')) : [],
    ).toEqual([]);
  });

  it('serves a temp URL only as signed, unexpired and for its own file', async () => {
    const outcome = await fx.sdk(
      fx.tokenFor('saveProfile', OPENID),
      `
      const up = await cloud.uploadFile({ cloudPath: 'a.txt', fileContent: Buffer.from('one') });
      await cloud.uploadFile({ cloudPath: 'b.txt', fileContent: Buffer.from('two') });
      const { fileList } = await cloud.getTempFileURL({ fileList: [up.fileID] });
      return { url: fileList[0].tempFileURL };
    `,
    );
    const { url } = outcome.result as { url: string };
    expect(await get(url)).toEqual({ status: 200, body: 'one' });
    const forged = url.replace(/.$/, (last) => (last === '0' ? '1' : '0'));
    expect((await get(forged)).status).toBe(403);
    expect((await get(url.replace('/a.txt?', '/b.txt?'))).status).toBe(403);
    expect((await get(url.replace(/t=\d+/, 't=1'))).status).toBe(403);
  });

  it('accepts one PUT per upload URL', async () => {
    const meta = await fx.request({
      body: JSON.stringify({ action: 'storage.getUploadMetadata', path: 'c.txt', method: 'put', envName: ENV_ID }),
    });
    const { url } = (JSON.parse(meta.body) as { data: { url: string } }).data;
    const put = (text: string) =>
      fx.request({ method: 'PUT', path: url.slice(fx.url.length), headers: {}, body: Buffer.from(text) });
    expect(await put('first')).toMatchObject({ status: 200, body: '' });
    const second = await put('second');
    expect(second.status).toBe(403);
    expect(second.body).toContain('<Code>AccessDenied</Code>');
    expect(readFileSync(path.join(fx.storageDir, 'c.txt'), 'utf8')).toBe('first');
  });
});
