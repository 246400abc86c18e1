/**
 * One-time upload URLs. `storage.getUploadMetadata` answers `<base>/upload/<token>`; the SDK
 * then PUTs the file there. A token names one cloudPath, works once and expires: holding the
 * URL is the permission to write that one file, as a signed COS URL is.
 */
import { randomBytes } from 'crypto';

export const UPLOAD_TOKEN_TTL_MS = 10 * 60 * 1000;
/** Past this many unused tokens, the oldest stop working (a flood cannot grow memory). */
const MAX_PENDING = 10_000;
const TOKEN = /^[A-Za-z0-9_-]{32}$/;

export class UploadTokens {
  /** Oldest first (insertion order). */
  private readonly pending = new Map<string, { cloudPath: string; expiresAt: number }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = UPLOAD_TOKEN_TTL_MS,
  ) {}

  issue(cloudPath: string): string {
    this.prune();
    const token = randomBytes(24).toString('base64url');
    this.pending.set(token, { cloudPath, expiresAt: this.now() + this.ttlMs });
    for (const oldest of this.pending.keys()) {
      if (this.pending.size <= MAX_PENDING) break;
      this.pending.delete(oldest);
    }
    return token;
  }

  /** The cloudPath a token was issued for, once; null if unknown, used or expired. */
  take(token: string): string | null {
    if (!TOKEN.test(token)) return null;
    const entry = this.pending.get(token);
    this.pending.delete(token);
    return entry && entry.expiresAt > this.now() ? entry.cloudPath : null;
  }

  private prune(): void {
    const now = this.now();
    for (const [token, { expiresAt }] of this.pending) {
      if (expiresAt > now) break;
      this.pending.delete(token);
    }
  }
}
