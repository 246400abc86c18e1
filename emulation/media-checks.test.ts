import { MAX_PENDING_MEDIA_CHECKS, mediaCheckEvent, PendingMediaChecks } from './media-checks';

const submission = (n: number) => ({
  mediaUrl: `https://example.com/${n}.png`,
  fileID: null,
  openid: `o${n}`,
  at: n,
});

describe('PendingMediaChecks', () => {
  it('lists submitted checks in order and takes one out by its trace id', () => {
    const pending = new PendingMediaChecks();
    const a = pending.submit(submission(1));
    const b = pending.submit(submission(2));
    expect(a.traceId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}$/);
    expect(a.traceId).not.toBe(b.traceId);
    expect(pending.list()).toEqual([a, b]);
    expect(pending.get(a.traceId)).toEqual(a);
    expect(pending.remove(a.traceId)).toBe(true);
    expect(pending.remove(a.traceId)).toBe(false);
    expect(pending.list()).toEqual([b]);
    expect(pending.get('unknown')).toBeNull();
  });

  it('keeps at most `cap` checks, dropping the oldest and counting them for a warning', () => {
    const warnings: number[] = [];
    const pending = new PendingMediaChecks({ cap: 3, onDropped: (total) => warnings.push(total) });
    const ids = [1, 2, 3, 4, 5].map((n) => pending.submit(submission(n)).traceId);
    expect(pending.list().map((check) => check.traceId)).toEqual(ids.slice(2));
    expect(pending.dropped).toBe(2);
    expect(warnings).toEqual([1, 2]);
    expect(pending.get(ids[0])).toBeNull();
  });

  it('caps by default at MAX_PENDING_MEDIA_CHECKS', () => {
    const pending = new PendingMediaChecks();
    for (let n = 0; n < MAX_PENDING_MEDIA_CHECKS + 5; n += 1) pending.submit(submission(n));
    expect(pending.list()).toHaveLength(MAX_PENDING_MEDIA_CHECKS);
    expect(pending.dropped).toBe(5);
  });
});

describe('mediaCheckEvent', () => {
  it('is the wxa_media_check event the platform pushes', () => {
    const check = { traceId: 't-1', mediaUrl: 'u', fileID: null, openid: 'oA', at: 0 };
    expect(mediaCheckEvent(check, { suggest: 'risky' }, { appid: 'wxapp', now: 1_700_000_000_123 })).toEqual({
      ToUserName: expect.stringMatching(/^gh_[0-9a-f]{12}$/),
      FromUserName: 'oA',
      CreateTime: 1_700_000_000,
      MsgType: 'event',
      Event: 'wxa_media_check',
      appid: 'wxapp',
      trace_id: 't-1',
      version: 2,
      detail: [{ strategy: 'content_model', errcode: 0, suggest: 'risky', label: 20002, prob: 90 }],
      errcode: 0,
      errmsg: 'ok',
      result: { suggest: 'risky', label: 20002 },
    });
    const pass = mediaCheckEvent(check, { suggest: 'pass' }, { appid: 'wxapp', now: 0 });
    expect(pass.result).toEqual({ suggest: 'pass', label: 100 });
    const labelled = mediaCheckEvent(check, { suggest: 'review', label: 20012 }, { appid: 'wxapp', now: 0 });
    expect(labelled.result).toEqual({ suggest: 'review', label: 20012 });
  });
});
