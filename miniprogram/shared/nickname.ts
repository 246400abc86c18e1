/**
 * The nickname rule, shared by the mini program (before uploading anything) and the cloud
 * functions (which decide). Characters are judged by Unicode properties (unicode-tables.ts):
 *
 * - refused: Cc, Cf, Co, Cs (lone surrogates), Zl, Zp, Default_Ignorable_Code_Point (the Hangul
 *   fillers U+115F U+1160 U+3164 U+FFA0, U+034F, U+00AD, U+061C, U+2060-2064, bidi controls,
 *   variation selectors...), noncharacters and U+2800 BRAILLE PATTERN BLANK; except, inside
 *   emoji sequences, U+200D ZWJ between two emoji, U+FE0E/U+FE0F after an emoji or a keycap base,
 *   and tag characters forming a subdivision flag (🏴 + 2 to 6 lower-case letters or digits +
 *   CANCEL TAG, as in UTS #51). Any other use of tags would smuggle hidden ASCII.
 * - at least one visible character: not only white space and marks;
 * - 1 to 32 graphemes (what a reader counts as characters), each at most 10 code points (the
 *   longest emoji sequence; it bounds a letter buried under stacked marks).
 *
 * Reasons are Chinese and read after "昵称": the client shows `昵称${reason}`, the server
 * answers `nickName 无效：${reason}`.
 */
import { decodeCodePointSet } from './code-point-set';
import { joinsPrevious, splitGraphemes } from './graphemes';
import { EXTENDED_PICTOGRAPHIC, HIDDEN } from './unicode-tables';

export const NICKNAME_MAX_LENGTH = 32;
/** The longest emoji sequence: 🧑🏻‍❤️‍💋‍🧑🏼 (kiss, two skin tones). */
export const NICKNAME_MAX_CODE_POINTS_PER_CHARACTER = 10;
/** UTF-16 units a valid nickname can take; longer input is refused before any scanning. */
export const NICKNAME_MAX_UTF16_LENGTH = NICKNAME_MAX_LENGTH * NICKNAME_MAX_CODE_POINTS_PER_CHARACTER * 2;

export const NICKNAME_PROBLEMS = {
  NOT_TEXT: '必须是文字',
  EMPTY: '不能为空',
  TOO_LONG: `不能超过 ${NICKNAME_MAX_LENGTH} 个字`,
  HIDDEN_CHARACTER: '不能含控制字符或不可见字符',
  NOTHING_VISIBLE: '至少要有一个看得见的字',
  OVERLOADED_CHARACTER: '含有过长的字符组合',
} as const;
export type NicknameProblem = keyof typeof NICKNAME_PROBLEMS;

export type NicknameCheck =
  | { ok: true; value: string }
  | { ok: false; problem: NicknameProblem; reason: (typeof NICKNAME_PROBLEMS)[NicknameProblem] };

const hidden = decodeCodePointSet(HIDDEN);
const pictographic = decodeCodePointSet(EXTENDED_PICTOGRAPHIC);

const ZWJ = 0x200d;
const VS15 = 0xfe0e;
const VS16 = 0xfe0f;
const BLACK_FLAG = 0x1f3f4;
const CANCEL_TAG = 0xe007f;
const isTag = (cp: number) => cp >= 0xe0020 && cp <= 0xe007e;
const isEmojiModifier = (cp: number) => cp >= 0x1f3fb && cp <= 0x1f3ff;
/** Bases of keycap sequences (#️⃣ *️⃣ 0️⃣-9️⃣), which are not Extended_Pictographic. */
const isKeycapBase = (cp: number) => cp === 0x23 || cp === 0x2a || (cp >= 0x30 && cp <= 0x39);

function refuse(problem: NicknameProblem): NicknameCheck {
  return { ok: false, problem, reason: NICKNAME_PROBLEMS[problem] };
}

/** Trims and checks a nickname; `value` is what to store and show. */
export function checkNickname(raw: unknown): NicknameCheck {
  if (typeof raw !== 'string') return refuse('NOT_TEXT');
  if (raw.length > NICKNAME_MAX_UTF16_LENGTH) return refuse('TOO_LONG');
  const value = raw.trim();
  if (value === '') return refuse('EMPTY');
  if (!allCharactersShown(codePoints(value))) return refuse('HIDDEN_CHARACTER');
  const characters = splitGraphemes(value);
  if (characters.length > NICKNAME_MAX_LENGTH) return refuse('TOO_LONG');
  if (characters.some((c) => codePoints(c).length > NICKNAME_MAX_CODE_POINTS_PER_CHARACTER)) {
    return refuse('OVERLOADED_CHARACTER');
  }
  if (!characters.some(isVisible)) return refuse('NOTHING_VISIBLE');
  return { ok: true, value };
}

function codePoints(text: string): number[] {
  const result: number[] = [];
  for (const ch of text) result.push(ch.codePointAt(0)!);
  return result;
}

function allCharactersShown(cps: number[]): boolean {
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i];
    if (cp === BLACK_FLAG && isTag(cps[i + 1])) {
      const end = subdivisionFlagEnd(cps, i);
      if (end < 0) return false;
      i = end;
    } else if (hidden.has(cp) && !shownInEmojiSequence(cps, i)) {
      return false;
    }
  }
  return true;
}

/** Index of the CANCEL TAG closing a valid subdivision flag that starts at `start`, or -1. */
function subdivisionFlagEnd(cps: number[], start: number): number {
  let tag = '';
  let i = start + 1;
  for (; isTag(cps[i]); i++) tag += String.fromCharCode(cps[i] - 0xe0000);
  return cps[i] === CANCEL_TAG && /^[a-z]{2}[a-z0-9]{1,4}$/.test(tag) ? i : -1;
}

function shownInEmojiSequence(cps: number[], i: number): boolean {
  const cp = cps[i];
  const before = i > 0 ? cps[i - 1] : -1;
  if (cp === VS15 || cp === VS16) return pictographic.has(before) || isKeycapBase(before);
  if (cp === ZWJ) {
    const joinsAnEmoji = pictographic.has(before) || isEmojiModifier(before) || before === VS16;
    return joinsAnEmoji && pictographic.has(cps[i + 1]);
  }
  return false;
}

/** A grapheme is seen if it starts with something other than white space or a mark. */
function isVisible(character: string): boolean {
  const first = character.codePointAt(0)!;
  if (/\s/.test(character.charAt(0))) return false;
  return !joinsPrevious(first) || isEmojiModifier(first);
}
