import fc from 'fast-check';
import { graphemesBySegmenter } from '../testing/segmenter';
import { withoutIntl } from '../testing/without-intl';
import { checkNickname, NICKNAME_MAX_LENGTH } from './profile';

type Check = typeof checkNickname;

const checkWithoutIntl = (): Check =>
  withoutIntl(() => (require('./profile') as typeof import('./profile')).checkNickname);

// The test's own definition of what a reader sees, written with the regex engine's Unicode
// properties (independent of the tables the check uses).
const INVISIBLE = /^[\p{White_Space}\p{M}\p{Cc}\p{Cf}\p{Co}\p{Cs}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}\u2800]$/u;
const NEVER_STORED = /[\p{Cc}\p{Co}\p{Cs}\p{Zl}\p{Zp}\u2800\u3164\u115f\u1160\uffa0]|\u034f/u;
const visible = (grapheme: string) => [...grapheme].some((ch) => !INVISIBLE.test(ch));

let check: Check = checkNickname;

function expectAccepted(name: string) {
  expect(check(name)).toEqual({ ok: true, value: name.trim() });
}

function expectRefused(name: unknown) {
  const answer = check(name);
  expect(answer.ok).toBe(false);
  // One language for every message (Chinese): no Latin words inside the reason.
  if (!answer.ok) expect(answer.reason).toMatch(/^[^A-Za-z]*[\u4e00-\u9fff][^A-Za-z]*$/);
}

const TAG = (ascii: string) => [...ascii].map((c) => String.fromCodePoint(0xe0000 + c.charCodeAt(0))).join('');
const CANCEL_TAG = '\u{E007F}';

describe.each([
  ['with Intl.Segmenter (Node, iOS 14.5+)', () => checkNickname],
  ['without Intl (WeChat for Android)', checkWithoutIntl],
])('%s', (_engine, load) => {
  beforeAll(() => {
    check = load();
  });
  afterAll(() => {
    check = checkNickname;
  });

  describe('characters that render empty or hide text are refused', () => {
    test.each([
      ['U+3164 HANGUL FILLER', '\u3164'],
      ['U+115F HANGUL CHOSEONG FILLER', '\u115f'],
      ['U+1160 HANGUL JUNGSEONG FILLER', '\u1160'],
      ['U+FFA0 HALFWIDTH HANGUL FILLER', '\uffa0'],
      ['U+2800 BRAILLE PATTERN BLANK', '\u2800'],
      ['U+2060 WORD JOINER', '\u2060'],
      ['U+2061 FUNCTION APPLICATION', '\u2061'],
      ['U+2062 INVISIBLE TIMES', '\u2062'],
      ['U+2063 INVISIBLE SEPARATOR', '\u2063'],
      ['U+2064 INVISIBLE PLUS', '\u2064'],
      ['U+00AD SOFT HYPHEN', '\u00ad'],
      ['U+034F COMBINING GRAPHEME JOINER', '\u034f'],
      ['U+061C ARABIC LETTER MARK', '\u061c'],
      ['U+2028 LINE SEPARATOR', '\u2028'],
      ['U+2029 PARAGRAPH SEPARATOR', '\u2029'],
      ['a lone high surrogate', '\ud83d'],
      ['a lone low surrogate', '\ude00'],
      ['tag characters hiding ASCII', TAG('hi')],
      ['a lone CANCEL TAG', CANCEL_TAG],
      ['U+200B ZERO WIDTH SPACE', '\u200b'],
      ['U+200C ZERO WIDTH NON-JOINER', '\u200c'],
      ['U+200D ZERO WIDTH JOINER between letters', '\u200d'],
      ['U+202E RIGHT-TO-LEFT OVERRIDE', '\u202e'],
      ['U+2066 LEFT-TO-RIGHT ISOLATE', '\u2066'],
      ['U+FEFF inside a name', '\ufeff'],
      ['U+0007 BELL', '\u0007'],
      ['U+0085 NEXT LINE (C1 control)', '\u0085'],
      ['U+E000 private use', '\ue000'],
      ['U+F0000 supplementary private use', '\u{F0000}'],
      ['U+FFFF noncharacter', '\uffff'],
      ['U+FE0F after a letter (invisible variation selector)', '\ufe0f'],
      ['U+E0100 variation selector supplement', '\u{E0100}'],
      ['U+180E MONGOLIAN VOWEL SEPARATOR', '\u180e'],
    ])('%s, inside a name and alone', (_name, ch) => {
      expectRefused(`阿${ch}花`);
      expectRefused(ch);
      expectRefused(`${ch}${ch}`);
    });

    test('tag characters are refused outside a flag tag sequence', () => {
      expectRefused(`😀${TAG('gbeng')}${CANCEL_TAG}`); // not the black flag
      expectRefused(`🏴${TAG('gbeng')}`); // no CANCEL TAG
      expectRefused(`🏴${TAG('gb')}${CANCEL_TAG}`); // too short for a subdivision
      expectRefused(`🏴${TAG('gbengxyz')}${CANCEL_TAG}`); // longer than any subdivision code
      expectRefused(`🏴${TAG('GBENG')}${CANCEL_TAG}`); // subdivision codes are lower case
      expectRefused(`🏴${TAG('gbeng')}${CANCEL_TAG}${TAG('x')}`);
    });

    test('a zero width joiner must join two emoji', () => {
      expectRefused('😀\u200d');
      expectRefused('\u200d😀');
      expectRefused('a\u200d😀');
      expectRefused('😀\u200da');
      expectRefused('😀\u200d\u200d😀');
    });
  });

  describe('ordinary names and emoji sequences are accepted', () => {
    test.each([
      ['family (ZWJ sequence)', '👨‍👩‍👧'],
      ['rainbow flag (VS16 + ZWJ)', '🏳️‍🌈'],
      ['transgender flag', '🏳️‍⚧️'],
      ['pirate flag', '🏴‍☠️'],
      ['heart on fire', '❤️‍🔥'],
      ['skin tone', '👍🏽'],
      ['skin tone + ZWJ', '👩🏽‍💻'],
      ['people holding hands, two skin tones', '🧑🏻‍🤝‍🧑🏼'],
      ['kiss, two skin tones (10 code points)', '🧑🏻‍❤️‍💋‍🧑🏼'],
      ['red hair', '👨‍🦰'],
      ['keycap one', '1️⃣'],
      ['keycap hash', '#️⃣'],
      ['flag of China', '🇨🇳'],
      ['flag of England (tag sequence)', '🏴󠁧󠁢󠁥󠁮󠁧󠁿'],
      ['flag of Scotland (tag sequence)', '🏴󠁧󠁢󠁳󠁣󠁴󠁿'],
      ['text-style heart (VS15)', '❤︎'],
      ['Chinese', '小明'],
      ['Chinese with an emoji', '阿花👨‍👩‍👧'],
      ['Latin with a space', 'Ada Lovelace'],
      ['decomposed diaeresis', 'Zoe\u0308'],
      ['Vietnamese', 'Nguyễn Văn A'],
      ['Thai', 'สมชาย'],
      ['Arabic', 'محمد'],
      ['Korean', '김철수'],
      ['Japanese', 'さくら'],
      ['Hindi', 'अनीता'],
      ['ideographic space inside', '阿\u3000花'],
      ['surrounding spaces are trimmed', '  小明\u3000'],
    ])('%s', (_name, name) => expectAccepted(name));
  });

  describe('length is counted in graphemes', () => {
    test(`${NICKNAME_MAX_LENGTH} family emoji are accepted, ${NICKNAME_MAX_LENGTH + 1} are refused`, () => {
      expectAccepted('👨‍👩‍👧'.repeat(NICKNAME_MAX_LENGTH));
      expectRefused('👨‍👩‍👧'.repeat(NICKNAME_MAX_LENGTH + 1));
    });

    test(`${NICKNAME_MAX_LENGTH} England flags are accepted`, () => {
      expectAccepted(`🏴${TAG('gbeng')}${CANCEL_TAG}`.repeat(NICKNAME_MAX_LENGTH));
    });

    test(`${NICKNAME_MAX_LENGTH} accented letters written with combining marks are accepted`, () => {
      expectAccepted('e\u0301'.repeat(NICKNAME_MAX_LENGTH));
      expectRefused('e\u0301'.repeat(NICKNAME_MAX_LENGTH + 1));
    });

    test(`${NICKNAME_MAX_LENGTH} Chinese characters are accepted, ${NICKNAME_MAX_LENGTH + 1} are refused`, () => {
      expectAccepted('超'.repeat(NICKNAME_MAX_LENGTH));
      expectRefused('超'.repeat(NICKNAME_MAX_LENGTH + 1));
    });

    test('a letter buried under stacked marks is refused', () => {
      expectRefused(`阿a${'\u0301'.repeat(20)}`);
    });

    test('a huge string is refused without being segmented', () => {
      expectRefused('阿'.repeat(1_000_000));
    });
  });

  describe('a name needs something to see', () => {
    test.each([
      ['empty', ''],
      ['spaces', '   '],
      ['ideographic spaces', '\u3000\u3000'],
      ['combining marks only', '\u0301\u0301'],
      ['a keycap mark alone', ' \u20e3 '],
      ['a Hangul filler between spaces', ' \u3164 '],
      ['braille blanks', '\u2800\u2800'],
    ])('%s is refused', (_name, name) => expectRefused(name));

    test.each([123, null, undefined, {}, ['阿花']])('%j is not a nickname', (value) => expectRefused(value));
  });
});

describe('properties', () => {
  const interesting = fc.constantFrom(
    'a',
    '阿',
    ' ',
    '\u3000',
    '\u0301',
    '\u20e3',
    '\u200d',
    '\u200c',
    '\ufe0f',
    '\ufe0e',
    '👨',
    '👩',
    '🏳',
    '🌈',
    '🏽',
    '🇨',
    '🇳',
    '🏴',
    CANCEL_TAG,
    '\u{E0067}',
    '\u{E0062}',
    '#',
    '1',
    '\u3164',
    '\u2800',
    '\u0000',
    '\u00ad',
    '\ud83d',
    '\ude00',
    '\u2028',
    '\u1100',
    '\u1161',
    '\u11a8',
    '각',
    'ก',
    '\u0e33',
    '\u0e31',
    '\u0600',
  );
  const names = fc.oneof(
    fc.string({ unit: interesting, maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.string({ unit: 'grapheme-composite', maxLength: 40 }),
  );

  test('an accepted name has 1 to 32 graphemes, at least one visible, and nothing invisible to hide text', () => {
    fc.assert(
      fc.property(names, (raw) => {
        const answer = checkNickname(raw);
        if (!answer.ok) return;
        const parts = graphemesBySegmenter(answer.value);
        expect(parts.length).toBeGreaterThanOrEqual(1);
        expect(parts.length).toBeLessThanOrEqual(NICKNAME_MAX_LENGTH);
        expect(parts.some(visible)).toBe(true);
        expect(answer.value).not.toMatch(NEVER_STORED);
        // Every format character left is a joiner or a tag inside an emoji sequence.
        for (const ch of answer.value.match(/\p{Cf}/gu) ?? []) expect(ch).toMatch(/^[\u200d\u{E0020}-\u{E007F}]$/u);
      }),
      { numRuns: 3000 },
    );
  });

  test('the check is idempotent on its own output', () => {
    fc.assert(
      fc.property(names, (raw) => {
        const answer = checkNickname(raw);
        if (answer.ok) expect(checkNickname(answer.value)).toEqual(answer);
      }),
      { numRuns: 3000 },
    );
  });

  test('an accepted name stays accepted with spaces around it', () => {
    fc.assert(
      fc.property(names, fc.constantFrom(' ', '\u3000', '\t', '\ufeff'), (raw, pad) => {
        const answer = checkNickname(raw);
        if (answer.ok) expect(checkNickname(`${pad}${raw}${pad}`)).toEqual(answer);
      }),
      { numRuns: 1000 },
    );
  });
});
