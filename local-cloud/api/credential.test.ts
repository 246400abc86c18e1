import { credentialIdOf, hasCredential, newSecretId } from './credential';

const HEADER = (id: string) =>
  `TC3-HMAC-SHA256 Credential=${id}/2026-11-22/tcb/tc3_request, SignedParams=action;envname, SignedHeaders=content-type;host, Signature=3e70`;

describe('the emulator credential', () => {
  it('is found in the TC3 Authorization header the SDK sends', () => {
    const id = newSecretId();
    expect(credentialIdOf(HEADER(id))).toBe(id);
    expect(hasCredential(HEADER(id), id)).toBe(true);
  });

  it.each([
    ['no header', undefined],
    ['another id', HEADER('AKIDsomeoneelse')],
    ['a prefix of the id', 'PREFIX'],
    ['no id (secrets unset in the instance)', HEADER('undefined')],
    ['another scheme', 'Bearer x'],
    ['the id without the TC3 shape', 'ID'],
  ])('is refused with %s', (_, header) => {
    const id = newSecretId();
    const value = header === 'PREFIX' ? HEADER(id.slice(0, -1)) : header === 'ID' ? id : header;
    expect(hasCredential(value, id)).toBe(false);
  });

  it('is new for every run', () => {
    expect(newSecretId()).not.toBe(newSecretId());
  });
});
