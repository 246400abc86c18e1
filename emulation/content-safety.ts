/**
 * Emulated text content security (security.msgSecCheck v2), shared by the local cloud and tests:
 * a text is `risky` when it contains a risky word, `review` when it contains a review word, `pass`
 * otherwise (case-insensitive substrings). The real check is a model; the lists let a developer
 * try each verdict on purpose. Also the per-minute quota of the cloud calls (45009 past it).
 */

export type Suggest = 'pass' | 'review' | 'risky';

export interface WordLists {
  riskyWords: readonly string[];
  reviewWords: readonly string[];
}

export interface Verdict {
  suggest: Suggest;
  /** WeChat's label: 100 normal, 20006 illegal, 21000 other. */
  label: number;
  /** The word that decided it. */
  keyword?: string;
}

export const DEFAULT_RISKY_WORDS: readonly string[] = ['违禁词'];
export const DEFAULT_REVIEW_WORDS: readonly string[] = ['待审词'];
export const LABEL_NORMAL = 100;
export const LABEL_ILLEGAL = 20006;
export const LABEL_OTHER = 21000;

const MAX_WORDS = 1000;
const MAX_WORD_LENGTH = 100;

export class ContentRules {
  private risky: string[] = [];
  private review: string[] = [];

  constructor(lists: Partial<WordLists> = {}) {
    this.set({ riskyWords: DEFAULT_RISKY_WORDS, reviewWords: DEFAULT_REVIEW_WORDS, ...lists });
  }

  /** Replaces the lists given; a list left out is kept. */
  set(lists: Partial<WordLists>): void {
    if (lists.riskyWords) this.risky = [...lists.riskyWords];
    if (lists.reviewWords) this.review = [...lists.reviewWords];
  }

  lists(): { riskyWords: string[]; reviewWords: string[] } {
    return { riskyWords: [...this.risky], reviewWords: [...this.review] };
  }

  /** The verdict on texts checked together (content, nickname, …): the worst word found decides. */
  judge(texts: readonly string[]): Verdict {
    const lowered = texts.map((text) => text.toLowerCase());
    const found = (words: readonly string[]) =>
      words.find((word) => lowered.some((text) => text.includes(word.toLowerCase())));
    const risky = found(this.risky);
    if (risky !== undefined) return { suggest: 'risky', label: LABEL_ILLEGAL, keyword: risky };
    const review = found(this.review);
    if (review !== undefined) return { suggest: 'review', label: LABEL_OTHER, keyword: review };
    return { suggest: 'pass', label: LABEL_NORMAL };
  }
}

export class WordListError extends Error {
  override name = 'WordListError';
}

/** `{ riskyWords?, reviewWords? }` as sent to the emulator, checked (trimmed, deduplicated). */
export function parseWordLists(value: unknown): Partial<WordLists> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new WordListError('send an object { riskyWords?: string[], reviewWords?: string[] }');
  }
  const record = value as Record<string, unknown>;
  const unknown = Object.keys(record).find((key) => key !== 'riskyWords' && key !== 'reviewWords');
  if (unknown !== undefined) throw new WordListError(`unknown field "${unknown.slice(0, 50)}"`);
  const lists: Partial<WordLists> = {};
  for (const key of ['riskyWords', 'reviewWords'] as const) {
    if (record[key] !== undefined) lists[key] = parseWords(key, record[key]);
  }
  return lists;
}

/** A comma-separated list (`--risky-words a,b`), checked as parseWordLists checks a list. */
export function parseWordsText(name: string, text: string): string[] {
  return parseWords(name, text.split(','));
}

function parseWords(name: string, value: unknown): string[] {
  const words = Array.isArray(value) ? value.map((word) => (typeof word === 'string' ? word.trim() : word)) : null;
  if (!words || !words.every((word) => typeof word === 'string' && word !== '' && word.length <= MAX_WORD_LENGTH)) {
    throw new WordListError(`${name} must be an array of words of 1 to ${MAX_WORD_LENGTH} characters`);
  }
  const unique = [...new Set(words as string[])];
  if (unique.length > MAX_WORDS) throw new WordListError(`${name}: at most ${MAX_WORDS} words`);
  return unique;
}

/** A fixed-window counter: `limit` calls per clock minute (the platform's "per minute" quota). */
export class PerMinuteQuota {
  private minute = -1;
  private used = 0;

  constructor(private readonly limit: number) {}

  /** Counts one call at `now`; false when the minute's quota is already used up. */
  take(now: number): boolean {
    const minute = Math.floor(now / 60_000);
    if (minute !== this.minute) {
      this.minute = minute;
      this.used = 0;
    }
    if (this.used >= this.limit) return false;
    this.used += 1;
    return true;
  }
}
