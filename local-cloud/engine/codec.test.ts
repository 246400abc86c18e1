/**
 * The document text format: what is stored is what bson's EJSON (the SDK's parser) reads back
 * as the same values, requests encoded by the SDK's canonical EJSON decode to the same values,
 * and the SDK's quirks (`$tcb_server_date`, regexp flag `g`) are resolved.
 */
import { EJSON, ObjectId } from 'bson';
import fc from 'fast-check';
import { decodeDocument, decodeRequestValue, encodeDocument, type Doc } from './codec';

const key = fc
  .string({ minLength: 1, maxLength: 6 })
  .filter((k) => !k.startsWith('$') && !k.includes('.') && k !== '__proto__');
const leaf = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.constant(null),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
  fc.integer(),
  fc.date({ min: new Date(-8.64e15), max: new Date(8.64e15), noInvalidDate: true }),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  tree: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('tree'), { maxLength: 4 }),
    fc.dictionary(key, tie('tree'), { maxKeys: 4 }),
  ),
})).tree;
const doc = fc.dictionary(key, value, { maxKeys: 6 });

it('decodes what it encodes to the same values', () => {
  fc.assert(fc.property(doc, (d) => expect(decodeDocument(encodeDocument(d))).toEqual(d)));
});

it("stores text that the SDK's EJSON parser reads as the same values", () => {
  fc.assert(fc.property(doc, (d) => expect(EJSON.parse(encodeDocument(d))).toEqual(d)));
});

it('decodes canonical EJSON requests (as the SDK encodes them) to the same values', () => {
  fc.assert(fc.property(doc, (d) => expect(decodeRequestValue(EJSON.stringify(d, { relaxed: false }), 0)).toEqual(d)));
});

it('writes dates, regexps and special numbers in the console export format', () => {
  const text = encodeDocument({
    at: new Date('2018-08-31T17:30:00.882Z'),
    re: /a+b/im,
    inf: Infinity,
    nan: NaN,
    id: new ObjectId('5f0000000000000000000000'),
  });
  expect(JSON.parse(text)).toEqual({
    at: { $date: '2018-08-31T17:30:00.882Z' },
    re: { $regularExpression: { pattern: 'a+b', options: 'im' } },
    inf: { $numberDouble: 'Infinity' },
    nan: { $numberDouble: 'NaN' },
    id: { $oid: '5f0000000000000000000000' },
  });
  const back = decodeDocument(text);
  expect(back.re).toEqual(/a+b/im);
  expect(back.nan).toBeNaN();
  expect(String(back.id)).toBe('5f0000000000000000000000');
});

it('resolves db.serverDate({ offset }) at the time given, inside queries and updates too', () => {
  const decoded = decodeRequestValue(
    '{"$set":{"at":{"$tcb_server_date":{"offset":{"$numberInt":"60000"}}}},"$or":[{"t":{"$lt":{"$tcb_server_date":{"offset":{"$numberInt":"-1"}}}}}]}',
    1_000_000,
  ) as Doc;
  expect(decoded).toEqual({ $set: { at: new Date(1_060_000) }, $or: [{ t: { $lt: new Date(999_999) } }] });
});

it('drops the regexp flag g the SDK passes through (a stateful RegExp would match every other time), refuses unknown flags', () => {
  const re = (
    decodeRequestValue('{"$or":[{"a":{"$regularExpression":{"pattern":"x","options":"gi"}}}]}', 0) as {
      $or: { a: RegExp }[];
    }
  ).$or[0].a;
  expect(re.flags).toBe('i');
  expect(() => decodeRequestValue('{"a":{"$regularExpression":{"pattern":"x","options":"y"}}}', 0)).toThrow(
    /option "y"/,
  );
});

it('refuses field names a query could not reach, and values that are not data', () => {
  expect(() => encodeDocument({ a: { $b: 1 } })).toThrow(/field names/);
  expect(() => encodeDocument({ 'a.b': 1 })).toThrow(/field names/);
  expect(() => encodeDocument({ f: () => 1 })).toThrow(/unsupported/);
  expect(() => encodeDocument({ d: new Date(NaN) })).toThrow(/invalid Date/);
});
