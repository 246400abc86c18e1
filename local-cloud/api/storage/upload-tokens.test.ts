import { UploadTokens } from './upload-tokens';

describe('upload tokens', () => {
  it('name their cloudPath once, until they expire', () => {
    let now = 0;
    const tokens = new UploadTokens(() => now, 1000);
    const first = tokens.issue('a/b.png');
    const second = tokens.issue('c.png');
    expect(tokens.take(first)).toBe('a/b.png');
    expect(tokens.take(first)).toBeNull();
    now = 1000;
    expect(tokens.take(second)).toBeNull();
    expect(tokens.take('not-a-token')).toBeNull();
  });

  it('keep at most 10,000 unused: the oldest stop working', () => {
    const tokens = new UploadTokens(() => 0);
    const oldest = tokens.issue('old.png');
    const issued = Array.from({ length: 10_000 }, (_, i) => tokens.issue(`f${i}.png`));
    expect(tokens.take(oldest)).toBeNull();
    expect(tokens.take(issued[0])).toBe('f0.png');
    expect(tokens.take(issued[9_999])).toBe('f9999.png');
  });
});
