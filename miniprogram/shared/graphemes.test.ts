import fc from 'fast-check';
import { execFileSync } from 'child_process';
import * as path from 'path';
import { graphemesBySegmenter as bySegmenter } from '../testing/segmenter';
import { withoutIntl } from '../testing/without-intl';
import { joinsPrevious, splitGraphemes, splitGraphemesByRules } from './graphemes';
import { UNICODE_VERSION } from './unicode-tables';

describe('the fallback for engines without Intl.Segmenter agrees with it', () => {
  test.each([
    '👨‍👩‍👧',
    '🏳️‍🌈',
    '🧑🏻‍❤️‍💋‍🧑🏼',
    '👍🏽👍',
    '1️⃣#️⃣',
    '🇨🇳🇯🇵🇺',
    '🏴󠁧󠁢󠁥󠁮󠁧󠁿🏴󠁧󠁢󠁳󠁣󠁴󠁿',
    '각\u1100\u1161\u11a8\u1100\u1100\u1161',
    'Zoe\u0308 Nguyễn',
    'สมชาย กำ',
    'ﾊﾞｶ',
    '阿花😀\u200d😀',
  ])('%s', (text) => expect(splitGraphemesByRules(text)).toEqual(bySegmenter(text)));

  test('on random names built from letters, marks, Hangul jamo, emoji pieces and flags', () => {
    // No virama: Intl.Segmenter of Unicode 15.1+ joins Indic conjuncts (GB9c), Node 18 and the
    // fallback do not.
    const pieces = fc.constantFrom(
      'a',
      '阿',
      ' ',
      '\u3000',
      '\u0301',
      '\u0903',
      '\u20e3',
      '\u200d',
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
      '\u{E0067}',
      '\u{E007F}',
      '#',
      '1',
      '\u1100',
      '\u1161',
      '\u11a8',
      '각',
      '가',
      'ก',
      '\u0e33',
      '\u0e31',
      '\u102b',
      '\u0d4e',
      '\uff9e',
      '❤',
      '💋',
    );
    fc.assert(
      fc.property(fc.string({ unit: pieces, maxLength: 30 }), (text) => {
        expect(splitGraphemesByRules(text)).toEqual(bySegmenter(text));
      }),
      { numRuns: 5000 },
    );
  });

  test('every code point that joins the one before it is one the Segmenter joins (GB9, GB9a)', () => {
    const differ: string[] = [];
    const candidates = /[\p{M}\p{Cf}\p{Lm}\p{Lo}\p{So}\p{Sk}]/u;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const ch = String.fromCodePoint(cp);
      if (!candidates.test(ch) && cp % 97 !== 0) continue; // every mark and symbol, a sample of the rest
      if (joinsPrevious(cp) !== (bySegmenter(`a${ch}`).length === 1)) differ.push(cp.toString(16));
    }
    expect(differ).toEqual([]);
  });
});

test('splitGraphemes uses Intl.Segmenter where it exists, the rules where Intl is missing', () => {
  // Node 20+ joins this conjunct (GB9c), the rules do not.
  const text = 'क्ष👨‍👩‍👧';
  expect(splitGraphemes(text)).toEqual(bySegmenter(text));
  const android = withoutIntl(() => require('./graphemes') as typeof import('./graphemes'));
  expect(android.splitGraphemes(text)).toEqual(splitGraphemesByRules(text));
});

const sameUnicode = process.versions.unicode === UNICODE_VERSION;
(sameUnicode ? test : test.skip)(`unicode-tables.ts is what Unicode ${UNICODE_VERSION} says`, () => {
  const script = path.join(__dirname, '..', '..', 'scripts', 'unicode-tables.mjs');
  expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
});
