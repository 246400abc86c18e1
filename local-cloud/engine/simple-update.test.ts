/**
 * The direct path for simple updates gives exactly what mingo gives (or declines): random
 * documents and random `$set`/`$unset`/`$inc` modifiers, applied both ways.
 */
import fc from 'fast-check';
import { Context } from 'mingo';
import type { Doc } from './codec';
import { applySimpleUpdate } from './simple-update';

const { update } = require('mingo/updater') as typeof import('mingo');

const field = fc.constantFrom('a', 'b', 'c', 'n');
const path = fc.array(field, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('.'));
const scalar = fc.oneof(fc.integer({ min: -5, max: 5 }), fc.string({ maxLength: 2 }), fc.constant(null), fc.boolean());
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('v'), { maxLength: 2 }),
    fc.dictionary(field, tie('v'), { maxKeys: 3 }),
  ),
})).v;
const doc = fc.dictionary(field, value, { maxKeys: 4 });
const modifier = fc.record(
  {
    $set: fc.dictionary(path, value, { minKeys: 1, maxKeys: 2 }),
    $unset: fc.dictionary(path, fc.constant(''), { minKeys: 1, maxKeys: 2 }),
    $inc: fc.dictionary(path, fc.integer({ min: -3, max: 3 }), { minKeys: 1, maxKeys: 2 }),
  },
  { requiredKeys: [] },
);

const clone = (d: Doc): Doc => JSON.parse(JSON.stringify(d)) as Doc;

it('gives the documents mingo gives, whenever it applies', () => {
  let applied = 0;
  fc.assert(
    fc.property(doc, modifier, (original, mod) => {
      fc.pre(Object.keys(mod).length > 0);
      const direct = clone(original);
      if (!applySimpleUpdate(direct, mod as Doc)) return;
      applied += 1;
      const viaMingo = clone(original);
      update(viaMingo, mod as Doc, undefined, undefined, {
        cloneMode: 'deep',
        queryOptions: { context: Context.init({}) },
      });
      expect(JSON.stringify(direct)).toBe(JSON.stringify(viaMingo));
    }),
    { numRuns: 2000 },
  );
  expect(applied).toBeGreaterThan(200);
});

it('declines what it does not handle, leaving the document untouched', () => {
  const original = { a: [{ b: 1 }], n: 'x', d: { e: 1 } };
  for (const mod of [
    { $push: { a: 1 } },
    { $set: { 'a.0.b': 2 } },
    { $set: { 'a.b': 2 } },
    { $set: { d: 1, 'd.e': 2 } },
    { $inc: { n: 1 } },
    { $set: { 'list.$.b': 1 } },
  ]) {
    const doc = clone(original);
    expect(applySimpleUpdate(doc, mod)).toBe(false);
    expect(doc).toEqual(original);
  }
});
