/**
 * Emulated asynchronous media checks (security.mediaCheckAsync v2): each submission waits, with
 * its trace id, until a verdict is delivered as the `wxa_media_check` event the platform pushes
 * to the function configured in 云开发 → 设置 → 消息推送. The waiting list is bounded: past its
 * cap the oldest check is dropped (and counted), as an unanswered check would be on the platform.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Suggest } from './content-safety';

export const MAX_PENDING_MEDIA_CHECKS = 1000;

export interface MediaCheckSubmission {
  mediaUrl: string;
  /** The file behind the URL when it is one of the emulator's own temp URLs. */
  fileID: string | null;
  /** The user the check was submitted for (`openid` of the call). */
  openid: string;
  /** When it was submitted (ms). */
  at: number;
}

export type PendingMediaCheck = MediaCheckSubmission & { traceId: string };

export interface MediaVerdict {
  suggest: Suggest;
  /** WeChat's label; by default 100 (pass), 20002 (risky: porn), 21000 (review: other). */
  label?: number;
}

const DEFAULT_LABELS: Readonly<Record<Suggest, number>> = { pass: 100, risky: 20002, review: 21000 };

export class PendingMediaChecks {
  private readonly checks = new Map<string, PendingMediaCheck>();
  private readonly cap: number;
  private readonly onDropped: (total: number) => void;
  /** Checks dropped unanswered because the list was full. */
  dropped = 0;

  constructor(options: { cap?: number; onDropped?: (total: number) => void } = {}) {
    this.cap = options.cap ?? MAX_PENDING_MEDIA_CHECKS;
    this.onDropped = options.onDropped ?? (() => undefined);
  }

  submit(submission: MediaCheckSubmission): PendingMediaCheck {
    const check = { traceId: newTraceId(), ...submission };
    this.checks.set(check.traceId, check);
    // A Map iterates in insertion order: the first key is the oldest check.
    while (this.checks.size > this.cap) {
      this.checks.delete(this.checks.keys().next().value as string);
      this.dropped += 1;
      this.onDropped(this.dropped);
    }
    return check;
  }

  list(): PendingMediaCheck[] {
    return [...this.checks.values()];
  }

  get(traceId: string): PendingMediaCheck | null {
    return this.checks.get(traceId) ?? null;
  }

  remove(traceId: string): boolean {
    return this.checks.delete(traceId);
  }
}

/** Shaped like WeChat's (`60ae120f-371d5872-7941a05b`). */
export function newTraceId(): string {
  const hex = randomBytes(12).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 16)}-${hex.slice(16)}`;
}

export type MediaCheckEvent = ReturnType<typeof mediaCheckEvent>;

/**
 * The pushed event, as the function's `event`. FromUserName is the user the check was submitted
 * for, as WeChat sends it: a receiver must not take it as its caller (nothing proves who sent the
 * push); ToUserName is the mini program's original id (`gh_…`), made up from the AppID here.
 */
export function mediaCheckEvent(
  check: PendingMediaCheck,
  verdict: MediaVerdict,
  platform: { appid: string; now: number },
) {
  const label = verdict.label ?? DEFAULT_LABELS[verdict.suggest];
  return {
    ToUserName: `gh_${createHash('sha256').update(platform.appid).digest('hex').slice(0, 12)}`,
    FromUserName: check.openid,
    CreateTime: Math.floor(platform.now / 1000),
    MsgType: 'event' as const,
    Event: 'wxa_media_check' as const,
    appid: platform.appid,
    trace_id: check.traceId,
    version: 2 as const,
    detail: [{ strategy: 'content_model', errcode: 0, suggest: verdict.suggest, label, prob: 90 }],
    errcode: 0,
    errmsg: 'ok',
    result: { suggest: verdict.suggest, label },
  };
}
