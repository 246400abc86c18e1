/**
 * The emulated content security's settings and flags (see USAGE in config.ts):
 *   --risky-words a,b                       the words msgSecCheck answers `risky` for
 *   --message-push wxa_media_check=<fn>     the function the verdicts of media checks are pushed to
 *   --media-verdict manual|pass|review|risky deliver every media check's verdict by itself, or not
 */
import { parseWordsText, WordListError, type Suggest } from '../emulation/content-safety';

export type MediaVerdictMode = 'manual' | Suggest;

export interface ContentSafetySettings {
  /** Replaces the default risky words (违禁词). */
  riskyWords?: readonly string[];
  /** Event → the function it is pushed to (云开发 → 设置 → 消息推送). */
  messagePush: Readonly<Record<string, string>>;
  /** `manual`: verdicts are delivered by tests or the console (`POST /emulator/media-checks/deliver`). */
  mediaVerdict: MediaVerdictMode;
  /** How long after a submission an automatic verdict is delivered. */
  mediaVerdictDelayMs: number;
}

export const DEFAULT_CONTENT_SAFETY: ContentSafetySettings = {
  messagePush: { wxa_media_check: 'onMediaCheck' },
  mediaVerdict: 'manual',
  mediaVerdictDelayMs: 1000,
};

export const CONTENT_SAFETY_FLAGS: readonly string[] = ['--risky-words', '--message-push', '--media-verdict'];

export const CONTENT_SAFETY_USAGE = `  --risky-words a,b
                   words the emulated security.msgSecCheck answers "risky" for (default 违禁词;
                   待审词 answers "review"); POST /emulator/content-safety changes both lists
  --message-push wxa_media_check=FN
                   the function the media-check verdicts are pushed to (default onMediaCheck)
  --media-verdict manual|pass|review|risky
                   manual (default): POST /emulator/media-checks/deliver delivers a verdict;
                   otherwise every media check gets that verdict about a second later`;

const FUNCTION_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,59}$/;
const PUSH_EVENTS = ['wxa_media_check'];
const MODES: readonly MediaVerdictMode[] = ['manual', 'pass', 'review', 'risky'];

/** The settings with one flag applied; throws an Error naming the problem. */
export function applyContentSafetyFlag(
  settings: ContentSafetySettings,
  flag: string,
  value: string,
): ContentSafetySettings {
  if (flag === '--risky-words') {
    try {
      return { ...settings, riskyWords: parseWordsText('--risky-words', value) };
    } catch (error) {
      if (error instanceof WordListError) throw new Error(error.message, { cause: error });
      throw error;
    }
  }
  if (flag === '--message-push') {
    const [event, fn, extra] = value.split('=');
    if (!PUSH_EVENTS.includes(event) || fn === undefined || !FUNCTION_NAME.test(fn) || extra !== undefined) {
      throw new Error(`--message-push: expected wxa_media_check=<function name>, got "${value.slice(0, 100)}"`);
    }
    return { ...settings, messagePush: { ...settings.messagePush, [event]: fn } };
  }
  if (flag === '--media-verdict') {
    if (!(MODES as readonly string[]).includes(value)) {
      throw new Error(`--media-verdict: one of ${MODES.join(', ')}`);
    }
    return { ...settings, mediaVerdict: value as MediaVerdictMode };
  }
  throw new Error(`unknown option ${flag}`);
}
