/**
 * Splits text into user-perceived characters (extended grapheme clusters, UAX #29).
 *
 * Intl.Segmenter does it where it exists (Node 16+, iOS 14.5+). WeChat on Android runs a V8
 * without Intl at all, and older iOS has no Segmenter, so the mini program falls back to the
 * rules below, which follow UAX #29 except the Indic conjunct rule GB9c (Unicode 15.1; Node 18
 * lacks it too) and assume the text has no control characters (checkNickname refuses them
 * before counting).
 */
import { decodeCodePointSet } from './code-point-set';
import { EXTEND, EXTENDED_PICTOGRAPHIC, SPACING_MARK } from './unicode-tables';

interface GraphemeSegmenter {
  segment(text: string): Iterable<{ segment: string }>;
}
type SegmenterConstructor = new (locale: undefined, options: { granularity: 'grapheme' }) => GraphemeSegmenter;

function platformSegmenter(): GraphemeSegmenter | null {
  // `typeof` because the identifier itself is missing on WeChat for Android.
  if (typeof Intl === 'undefined') return null;
  const Segmenter = (Intl as unknown as { Segmenter?: SegmenterConstructor }).Segmenter;
  return typeof Segmenter === 'function' ? new Segmenter(undefined, { granularity: 'grapheme' }) : null;
}

const segmenter = platformSegmenter();

export function splitGraphemes(text: string): string[] {
  if (!segmenter) return splitGraphemesByRules(text);
  const parts: string[] = [];
  for (const { segment } of segmenter.segment(text)) parts.push(segment);
  return parts;
}

const extend = decodeCodePointSet(EXTEND);
const spacingMark = decodeCodePointSet(SPACING_MARK);
const pictographic = decodeCodePointSet(EXTENDED_PICTOGRAPHIC);
const ZWJ = 0x200d;

/** Extend, SpacingMark or ZWJ: never starts a grapheme after another character (GB9, GB9a). */
export function joinsPrevious(cp: number): boolean {
  return cp === ZWJ || extend.has(cp) || spacingMark.has(cp);
}

// Grapheme_Cluster_Break=Prepend outside Cf (Cf ones are refused before counting).
const PREPEND = [
  0x0d4e, 0x111c2, 0x111c3, 0x113d1, 0x1193f, 0x11941, 0x11a3a, 0x11a84, 0x11a85, 0x11a86, 0x11a87, 0x11a88, 0x11a89,
  0x11d46, 0x11f02,
];

type Hangul = 'L' | 'V' | 'T' | 'LV' | 'LVT' | null;

function hangul(cp: number): Hangul {
  if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0xa960 && cp <= 0xa97c)) return 'L';
  if ((cp >= 0x1160 && cp <= 0x11a7) || (cp >= 0xd7b0 && cp <= 0xd7c6)) return 'V';
  if ((cp >= 0x11a8 && cp <= 0x11ff) || (cp >= 0xd7cb && cp <= 0xd7fb)) return 'T';
  if (cp >= 0xac00 && cp <= 0xd7a3) return (cp - 0xac00) % 28 === 0 ? 'LV' : 'LVT';
  return null;
}

function hangulJoins(before: Hangul, after: Hangul): boolean {
  if (before === 'L') return after === 'L' || after === 'V' || after === 'LV' || after === 'LVT'; // GB6
  if (before === 'LV' || before === 'V') return after === 'V' || after === 'T'; // GB7
  if (before === 'LVT' || before === 'T') return after === 'T'; // GB8
  return false;
}

const isRegionalIndicator = (cp: number) => cp >= 0x1f1e6 && cp <= 0x1f1ff;

/** UAX #29 by hand, for engines without Intl.Segmenter. Exported for the tests. */
export function splitGraphemesByRules(text: string): string[] {
  const parts: string[] = [];
  let previous = -1;
  let regionalRun = 0; // regional indicators in a row, to pair them (GB12, GB13)
  let emoji: 'none' | 'pictographic' | 'joiner' = 'none'; // ExtPict Extend* ZWJ (GB11)
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    const joins =
      previous >= 0 &&
      (joinsPrevious(cp) ||
        PREPEND.indexOf(previous) >= 0 ||
        hangulJoins(hangul(previous), hangul(cp)) ||
        (emoji === 'joiner' && pictographic.has(cp)) ||
        (isRegionalIndicator(cp) && regionalRun % 2 === 1));
    if (joins) parts[parts.length - 1] += ch;
    else parts.push(ch);

    regionalRun = isRegionalIndicator(cp) ? (joins ? regionalRun + 1 : 1) : 0;
    if (pictographic.has(cp)) emoji = 'pictographic';
    else if (emoji === 'pictographic' && cp === ZWJ) emoji = 'joiner';
    else if (!(emoji === 'pictographic' && extend.has(cp))) emoji = 'none';
    previous = cp;
  }
  return parts;
}
