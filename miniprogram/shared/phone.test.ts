import { maskPhone } from './phone';

describe('maskPhone', () => {
  it.each([
    ['13800000000', '138****0000'],
    ['91234567', '****4567'],
    ['123456789', '1****6789'],
    ['1234', '****'],
  ])('%s → %s', (phone, masked) => expect(maskPhone(phone)).toBe(masked));
});
