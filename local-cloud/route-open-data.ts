/** `POST /open-data/cloud-id`: plays the WeChat client's getUserProfile for a caller. */
import type { IncomingMessage, ServerResponse } from 'http';
import { parseCaller } from './caller';
import { HttpError, readJsonObject, sendJson } from './http-io';
import { parseUserInfo } from './open-data';
import type { LocalCloudRuntime } from './runtime';

export async function mintCloudIdRoute(
  runtime: LocalCloudRuntime,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const body = await readJsonObject(req, runtime.config.maxBodyBytes);
  const caller = parseCaller(body.caller);
  if (typeof caller === 'string') throw new HttpError(400, caller);
  const info = parseUserInfo(body.data);
  if (typeof info === 'string') throw new HttpError(400, info);
  sendJson(res, 200, runtime.openData.mint(caller.openid, info));
}
