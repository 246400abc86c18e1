/**
 * The array update commands behave as the cloud database's (MongoDB `$push` with `$each`,
 * `$pull`, `$pullAll`), as @cloudbase/database encodes them.
 */
import { applyUpdate, command as _, resolveValues, type Doc } from './db-commands';

const now = new Date(1_700_000_000_000);
const update = (doc: Doc, data: Doc): Doc => applyUpdate(doc, data, now);

describe('_.push', () => {
  it('appends each element of an array, or each argument, in order, keeping duplicates', () => {
    expect(update({ _id: 'a', list: ['x'] }, { list: _.push(['y', 'x']) }).list).toEqual(['x', 'y', 'x']);
    expect(update({ _id: 'a', list: [] }, { list: _.push('y', 'z') }).list).toEqual(['y', 'z']);
    expect(update({ _id: 'a', list: ['x'] }, { list: _.push([]) }).list).toEqual(['x']);
  });

  it('creates a missing field, also inside a nested object', () => {
    expect(update({ _id: 'a' }, { list: _.push(['y']) }).list).toEqual(['y']);
    expect(update({ _id: 'a' }, { nested: { list: _.push(['y']) } }).nested).toEqual({ list: ['y'] });
  });

  it('fails on a field that is not an array, and changes nothing', () => {
    const doc = { _id: 'a', list: 'text' };
    expect(() => update(doc, { list: _.push(['y']) })).toThrow(expect.objectContaining({ errCode: -502001 }));
    expect(doc.list).toBe('text');
  });

  it('is refused outside update (in add and set)', () => {
    expect(() => resolveValues({ list: _.push(['y']) }, now)).toThrow(/only valid in update/);
  });
});

describe('_.pull and _.pullAll', () => {
  it('remove every element equal to the value(s), and keep the others in order', () => {
    const doc = { _id: 'a', list: ['x', 'y', 'x', 'z'] };
    expect(update(doc, { list: _.pull('x') }).list).toEqual(['y', 'z']);
    expect(update(doc, { list: _.pullAll(['x', 'z', 'absent']) }).list).toEqual(['y']);
    expect(update(doc, { list: _.pullAll([]) }).list).toEqual(doc.list);
  });

  it('leave a missing field missing', () => {
    expect(update({ _id: 'a' }, { list: _.pull('x') })).toEqual({ _id: 'a' });
    expect(update({ _id: 'a' }, { list: _.pullAll(['x']) })).toEqual({ _id: 'a' });
  });

  it('fail on a field that is not an array', () => {
    expect(() => update({ _id: 'a', list: 1 }, { list: _.pull('x') })).toThrow(
      expect.objectContaining({ errCode: -502001 }),
    );
    expect(() => update({ _id: 'a', list: {} }, { list: _.pullAll(['x']) })).toThrow(
      expect.objectContaining({ errCode: -502001 }),
    );
  });

  it('compare by value, not by type coercion', () => {
    expect(update({ _id: 'a', list: [1, '1', null] }, { list: _.pullAll([1, null]) }).list).toEqual(['1']);
  });

  it('are not emulated for documents or query commands (the project uses scalar elements only)', () => {
    expect(() => _.pull({ a: 1 })).toThrow(/not emulated/);
    expect(() => _.pullAll([['a']])).toThrow(/not emulated/);
  });
});

it('push and pull of different fields apply in one update', () => {
  const doc = { _id: 'a', added: ['x'], removed: ['x', 'y'] };
  expect(update(doc, { added: _.push(['y']), removed: _.pullAll(['x']), n: _.inc(1) })).toEqual({
    _id: 'a',
    added: ['x', 'y'],
    removed: ['y'],
    n: 1,
  });
});
