/**
 * Who the user is and their profile: the state every page binds to, and its local cache.
 * A returning user sees the cached profile at once; `login`'s answer then refreshes it.
 */
import type { LoginData } from '../shared/api';
import type { ErrorCode, Result } from '../shared/errors';
import type { Profile } from '../shared/profile';
import { callFunction, displayUrl } from './cloud';
import { messageFor } from './messages';

/** idle: no login yet, or logged out; loading: login in flight; ready / failed: its answer. */
type SessionStatus = 'idle' | 'loading' | 'ready' | 'failed';

export interface SessionState {
  status: SessionStatus;
  openid: string | null;
  profile: Profile | null;
  /** The bound phone number, masked (138****0000), from login or bindPhone; not cached. */
  maskedPhone: string | null;
  /**
   * login said the content check removed the uploaded avatar (the server answers that once):
   * true until 我的 has told the user, cached so that a launch ending before that keeps it.
   */
  avatarRemoved: boolean;
  error: ErrorCode | null;
}

/** What the pages show, derived from the state in one place. */
interface ProfileView {
  avatarSrc: string;
  nickName: string;
  hasProfile: boolean;
  statusText: string;
  loginFailed: boolean;
  loggedOut: boolean;
  loggedIn: boolean;
}

export const DEFAULT_AVATAR = '/assets/default-avatar.svg';
const NO_NICKNAME = '未设置昵称';

const CACHE_KEY = 'session';

interface CachedSession {
  version: 1;
  openid: string;
  profile: Profile | null;
  avatarRemoved?: true;
}

type Listener = (state: SessionState) => void;

const SIGNED_OUT: SessionState = {
  status: 'idle',
  openid: null,
  profile: null,
  maskedPhone: null,
  avatarRemoved: false,
  error: null,
};

class Session {
  private state: SessionState = SIGNED_OUT;
  private readonly listeners = new Set<Listener>();
  private inFlight: Promise<Result<LoginData>> | null = null;
  /** Bumped by logout so that a login answer arriving afterwards is ignored. */
  private generation = 0;

  get current(): SessionState {
    return this.state;
  }

  /** Calls the listener now and on every change; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    listener(this.state);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /** Shows the cached profile before any call. */
  restore(): void {
    const cached = readCache();
    if (cached) {
      this.update({ openid: cached.openid, profile: cached.profile, avatarRemoved: cached.avatarRemoved === true });
    }
  }

  /** One silent `login` call; concurrent callers share it. Never retried on its own. */
  login(): Promise<Result<LoginData>> {
    if (this.inFlight) return this.inFlight;
    const generation = this.generation;
    this.update({ status: 'loading', error: null });
    const call = callFunction('login', {}).then((answer) => {
      if (generation !== this.generation) return answer;
      this.inFlight = null;
      if (answer.ok) {
        const { openid, profile, maskedPhone = null } = answer.data;
        // A notice not yet shown stays pending, for this account only.
        const avatarRemoved =
          answer.data.avatarRemoved === true || (this.state.avatarRemoved && this.state.openid === openid);
        this.update({ status: 'ready', openid, profile, maskedPhone, avatarRemoved, error: null });
        this.saveCache();
      } else {
        this.update({ status: 'failed', error: answer.error.code });
      }
      return answer;
    });
    this.inFlight = call;
    return call;
  }

  /** The openid for an upload path: the known one, or one login. */
  async openid(): Promise<Result<string>> {
    if (this.state.openid) return { ok: true, data: this.state.openid };
    const answer = await this.login();
    return answer.ok ? { ok: true, data: answer.data.openid } : answer;
  }

  setProfile(profile: Profile): void {
    this.update({ profile });
    this.saveCache();
  }

  setMaskedPhone(maskedPhone: string | null): void {
    this.update({ maskedPhone });
  }

  /** True once after login reported the avatar removed: the caller tells the user. */
  takeAvatarRemovedNotice(): boolean {
    if (!this.state.avatarRemoved) return false;
    this.update({ avatarRemoved: false });
    this.saveCache();
    return true;
  }

  /** Local logout: forgets the cache and the state on this device. */
  logout(): void {
    this.generation++;
    this.inFlight = null;
    try {
      wx.removeStorageSync(CACHE_KEY);
    } catch {
      // Nothing cached to remove.
    }
    this.update(SIGNED_OUT);
  }

  private update(change: Partial<SessionState>): void {
    this.state = { ...this.state, ...change };
    this.listeners.forEach((listener) => listener(this.state));
  }

  private saveCache(): void {
    const { openid, profile, avatarRemoved } = this.state;
    if (!openid) return;
    const cached: CachedSession = avatarRemoved
      ? { version: 1, openid, profile, avatarRemoved: true }
      : { version: 1, openid, profile };
    try {
      wx.setStorageSync(CACHE_KEY, cached);
    } catch {
      // A full storage only costs the instant display on the next launch.
    }
  }
}

export const session = new Session();

export function profileView(state: SessionState): ProfileView {
  const profile = state.profile;
  const loggedIn = state.openid !== null;
  let statusText = '';
  if (state.status === 'failed' && state.error) statusText = `登录失败：${messageFor(state.error)}`;
  else if (state.status === 'loading' && !profile) statusText = '登录中…';
  else if (state.status === 'idle' && !loggedIn) statusText = '未登录';
  return {
    avatarSrc: profile?.avatarUrl ? displayUrl(profile.avatarUrl) : DEFAULT_AVATAR,
    nickName: profile?.nickName || NO_NICKNAME,
    hasProfile: profile !== null,
    statusText,
    loginFailed: state.status === 'failed',
    loggedOut: state.status === 'idle' && !loggedIn,
    loggedIn,
  };
}

function readCache(): CachedSession | null {
  let value: unknown;
  try {
    value = wx.getStorageSync(CACHE_KEY);
  } catch {
    return null;
  }
  if (!value || typeof value !== 'object') return null;
  const cached = value as Partial<CachedSession>;
  if (cached.version !== 1 || typeof cached.openid !== 'string') return null;
  const profile = cached.profile;
  const valid =
    profile === null ||
    (typeof profile === 'object' &&
      profile !== undefined &&
      typeof profile.nickName === 'string' &&
      typeof profile.avatarUrl === 'string');
  if (!valid) return null;
  const restored: CachedSession = { version: 1, openid: cached.openid, profile: profile ?? null };
  return cached.avatarRemoved === true ? { ...restored, avatarRemoved: true } : restored;
}
