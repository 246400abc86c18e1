import { multipartBoundary, parseMultipart } from './multipart';

const body = (boundary: string, parts: string[]) =>
  Buffer.from(`${parts.map((p) => `--${boundary}\r\n${p}\r\n`).join('')}--${boundary}--\r\n`);

describe('multipart/form-data', () => {
  it('finds the boundary, quoted or not', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('application/json')).toBeNull();
    expect(multipartBoundary(undefined)).toBeNull();
  });

  it('parses fields and a binary file', () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]);
    const raw = Buffer.concat([
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="cloudPath"\r\n\r\navatars/o/1.png\r\n'),
      Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="openid"\r\n\r\noAlice\r\n'),
      Buffer.from(
        '--XyZ\r\nContent-Disposition: form-data; name="file"; filename="tmp.png"\r\nContent-Type: image/png\r\n\r\n',
      ),
      png,
      Buffer.from('\r\n--XyZ--\r\n'),
    ]);
    const form = parseMultipart(raw, 'XyZ');
    expect(form).toEqual({
      fields: { cloudPath: 'avatars/o/1.png', openid: 'oAlice' },
      files: { file: { filename: 'tmp.png', contentType: 'image/png', content: png } },
    });
  });

  it('rejects malformed bodies with a reason', () => {
    expect(parseMultipart(Buffer.from('nothing'), 'b')).toBe('no multipart boundary in body');
    expect(
      typeof parseMultipart(Buffer.from('--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end'), 'b'),
    ).toBe('string');
    expect(typeof parseMultipart(body('b', ['Content-Type: text/plain\r\n\r\nx']), 'b')).toBe('string');
    const many = body(
      'b',
      Array.from({ length: 40 }, (_, i) => `Content-Disposition: form-data; name="f${i}"\r\n\r\nx`),
    );
    expect(parseMultipart(many, 'b')).toBe('too many parts');
  });
});
