import fc from 'fast-check';
import {
  ContentRules,
  DEFAULT_REVIEW_WORDS,
  DEFAULT_RISKY_WORDS,
  parseWordLists,
  PerMinuteQuota,
  WordListError,
} from './content-safety';

describe('ContentRules', () => {
  it('says risky for a risky word, review for a review word, pass otherwise, ignoring case', () => {
    const rules = new ContentRules({ riskyWords: ['Spam', '违禁词'], reviewWords: ['maybe'] });
    expect(rules.judge(['hello SPAM world'])).toEqual({ suggest: 'risky', label: 20006, keyword: 'Spam' });
    expect(rules.judge(['昵称', '含违禁词的签名'])).toMatchObject({ suggest: 'risky', keyword: '违禁词' });
    expect(rules.judge(['MayBe later'])).toEqual({ suggest: 'review', label: 21000, keyword: 'maybe' });
    expect(rules.judge(['maybe spam'])).toMatchObject({ suggest: 'risky' });
    expect(rules.judge(['小红', ''])).toEqual({ suggest: 'pass', label: 100 });
  });

  it('has defaults a developer can try: 违禁词 risky, 待审词 review', () => {
    const rules = new ContentRules();
    expect(DEFAULT_RISKY_WORDS).toContain('违禁词');
    expect(DEFAULT_REVIEW_WORDS).toContain('待审词');
    expect(rules.judge(['这是违禁词']).suggest).toBe('risky');
    expect(rules.judge(['这是待审词']).suggest).toBe('review');
    expect(rules.lists()).toEqual({ riskyWords: [...DEFAULT_RISKY_WORDS], reviewWords: [...DEFAULT_REVIEW_WORDS] });
  });

  it('is risky exactly when some text contains some risky word (any case)', () => {
    const word = fc.string({ minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 4 }), fc.array(fc.string()), (risky, texts) => {
        const rules = new ContentRules({ riskyWords: risky, reviewWords: [] });
        const expected = texts.some((text) => risky.some((w) => text.toLowerCase().includes(w.toLowerCase())));
        expect(rules.judge(texts).suggest === 'risky').toBe(expected);
      }),
    );
  });

  it('replaces its lists as a whole, keeping the other list when one is left out', () => {
    const rules = new ContentRules();
    rules.set(parseWordLists({ riskyWords: ['a'] }));
    expect(rules.lists()).toEqual({ riskyWords: ['a'], reviewWords: [...DEFAULT_REVIEW_WORDS] });
    rules.set(parseWordLists({ reviewWords: [] }));
    expect(rules.lists()).toEqual({ riskyWords: ['a'], reviewWords: [] });
  });
});

describe('parseWordLists', () => {
  it.each([
    [null, 'an object'],
    [{ riskyWords: 'a' }, 'riskyWords must be an array'],
    [{ reviewWords: [1] }, 'reviewWords must be an array'],
    [{ riskyWords: [''] }, 'riskyWords must be an array'],
    [{ riskyWords: ['x'.repeat(101)] }, 'riskyWords must be an array'],
    [{ riskyWords: Array.from({ length: 1001 }, (_, i) => `w${i}`) }, 'at most 1000'],
    [{ riskyWords: ['a'], other: 1 }, 'unknown field "other"'],
  ])('refuses %j naming the problem', (value, message) => {
    expect(() => parseWordLists(value)).toThrow(WordListError);
    expect(() => parseWordLists(value)).toThrow(message);
  });

  it('trims words and drops duplicates', () => {
    expect(parseWordLists({ riskyWords: [' a ', 'a', 'b'] })).toEqual({ riskyWords: ['a', 'b'] });
  });
});

describe('PerMinuteQuota', () => {
  it('allows `limit` calls per clock minute and refuses the rest until the next minute', () => {
    const quota = new PerMinuteQuota(4000);
    const minute = 60_000 * 28_000_000;
    for (let i = 0; i < 4000; i += 1) expect(quota.take(minute + i)).toBe(true);
    expect(quota.take(minute + 59_999)).toBe(false);
    expect(quota.take(minute + 60_000)).toBe(true);
  });
});
