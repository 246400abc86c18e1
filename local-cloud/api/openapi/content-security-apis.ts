/**
 * The emulated content security cloud calls (version 2 only; version 1 is frozen since 2021-09-01):
 * - security.msgSecCheck: a verdict from the word lists (emulation/content-safety.ts);
 * - security.mediaCheckAsync: a trace id; the check waits in `pending` until a verdict is
 *   delivered as the pushed wxa_media_check event (local-cloud/media-check-delivery.ts).
 * Errors are WeChat's: 40003 invalid openid, 40097 invalid args, 45009 over the per-minute quota.
 */
import { ContentRules, PerMinuteQuota, type WordLists } from '../../../emulation/content-safety';
import { newTraceId, PendingMediaChecks, type PendingMediaCheck } from '../../../emulation/media-checks';
import type { LogSink } from '../../log';
import { notEmulated } from '../errors';
import { wechatJsonApi, type EmulatedOpenApi } from './emulated-apis';

export const INVALID_OPENID = 40003;
export const INVALID_ARGS = 40097;
export const QUOTA_EXCEEDED = 45009;
export const MAX_CONTENT_CHARS = 2500;
export const MSG_SEC_CHECK_PER_MINUTE = 4000;
export const MEDIA_CHECK_PER_MINUTE = 2000;
const MAX_MEDIA_URL_LENGTH = 2048;

/** The state of the emulated content security of one emulator. */
export class ContentSecurity {
  readonly rules: ContentRules;
  readonly pending: PendingMediaChecks;
  readonly msgQuota = new PerMinuteQuota(MSG_SEC_CHECK_PER_MINUTE);
  readonly mediaQuota = new PerMinuteQuota(MEDIA_CHECK_PER_MINUTE);
  /** Told of each new check (the emulator's automatic verdicts). */
  onSubmitted: ((check: PendingMediaCheck) => void) | null = null;

  constructor(options: { lists?: Partial<WordLists>; log?: LogSink; maxPending?: number } = {}) {
    this.rules = new ContentRules(options.lists);
    const log = options.log;
    this.pending = new PendingMediaChecks({
      cap: options.maxPending,
      onDropped: (total) => log?.('warn', { event: 'media-checks-dropped', dropped: total }),
    });
  }
}

type WechatAnswer = Record<string, unknown>;
const wechatError = (errcode: number, errmsg: string): WechatAnswer => ({ errcode, errmsg });

/** The errors shared by both calls, or null when the common fields are fine. */
function commonError(api: string, body: Readonly<Record<string, unknown>>): WechatAnswer | null {
  if (body.version !== 2) {
    throw notEmulated(`${api} version ${String(body.version ?? 1).slice(0, 10)} (call it with version 2)`);
  }
  if (typeof body.openid !== 'string' || body.openid === '') return wechatError(INVALID_OPENID, 'invalid openid');
  if (![1, 2, 3, 4].includes(body.scene as number)) return wechatError(INVALID_ARGS, 'invalid args: scene is 1 to 4');
  return null;
}

export function msgSecCheckApi(security: ContentSecurity, now: () => number): EmulatedOpenApi {
  return wechatJsonApi(async (body) => {
    const error = commonError('security.msgSecCheck', body);
    if (error) return error;
    const { content } = body;
    if (typeof content !== 'string' || content.length > MAX_CONTENT_CHARS) {
      return wechatError(INVALID_ARGS, `invalid args: content is a string of at most ${MAX_CONTENT_CHARS} characters`);
    }
    if (!security.msgQuota.take(now())) return wechatError(QUOTA_EXCEEDED, 'reach max api minute quota limit');
    // Scene 1 (profile) also checks these fields.
    const texts = [content, body.nickname, body.title, body.signature].filter(
      (text): text is string => typeof text === 'string',
    );
    const verdict = security.rules.judge(texts);
    const detail: Array<Record<string, unknown>> = [
      { strategy: 'content_model', errcode: 0, suggest: verdict.suggest, label: verdict.label, prob: 90 },
    ];
    if (verdict.keyword !== undefined) {
      detail.push({
        strategy: 'keyword',
        errcode: 0,
        suggest: verdict.suggest,
        label: verdict.label,
        level: 20,
        keyword: verdict.keyword,
      });
    }
    return {
      result: { suggest: verdict.suggest, label: verdict.label },
      detail,
      trace_id: newTraceId(),
    };
  });
}

/**
 * `fileIdOfUrl`: the fileID behind one of the emulator's own temp URLs, else null (the check
 * then cannot name a file; the URL is kept as given).
 */
export function mediaCheckAsyncApi(
  security: ContentSecurity,
  fileIdOfUrl: (url: string) => string | null,
  now: () => number,
): EmulatedOpenApi {
  return wechatJsonApi(async (body) => {
    const error = commonError('security.mediaCheckAsync', body);
    if (error) return error;
    const { media_url: mediaUrl, media_type: mediaType } = body;
    if (typeof mediaUrl !== 'string' || mediaUrl.length > MAX_MEDIA_URL_LENGTH || !/^https?:\/\//i.test(mediaUrl)) {
      return wechatError(INVALID_ARGS, 'invalid args: media_url is a downloadable http(s) URL');
    }
    if (mediaType !== 1 && mediaType !== 2) {
      return wechatError(INVALID_ARGS, 'invalid args: media_type is 1 (audio) or 2 (image)');
    }
    if (!security.mediaQuota.take(now())) return wechatError(QUOTA_EXCEEDED, 'reach max api minute quota limit');
    const check = security.pending.submit({
      mediaUrl,
      fileID: fileIdOfUrl(mediaUrl),
      openid: body.openid as string,
      at: now(),
    });
    security.onSubmitted?.(check);
    return { trace_id: check.traceId };
  });
}
