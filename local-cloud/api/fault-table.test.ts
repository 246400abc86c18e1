import fc from 'fast-check';
import { FaultSpecError, FaultTable, parseFaultSpec, type FaultSubject } from './fault-table';

const GET_USERS: FaultSubject = { action: 'database.getDocument', collection: 'users', function: 'login' };

describe('FaultTable', () => {
  it('fails exactly the nth to (nth + times - 1)th matching operations, whatever else happens in between', () => {
    const subjects = fc.constantFrom<FaultSubject>(
      GET_USERS,
      { action: 'database.getDocument', collection: 'logs', function: 'login' },
      { action: 'database.insertDocument', collection: 'users', function: 'login' },
      { action: 'database.getDocument', collection: 'users', function: 'getProfile' },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        fc.array(subjects, { maxLength: 30 }),
        (nth, times, operations) => {
          const table = new FaultTable();
          table.add(
            parseFaultSpec({ action: 'database.getDocument', collection: 'users', nth, times, error: { code: 'X' } }),
          );
          let matching = 0;
          for (const subject of operations) {
            const { error } = table.decide(subject);
            const matches = subject.action === 'database.getDocument' && subject.collection === 'users';
            if (matches) matching += 1;
            expect(error !== null).toBe(matches && matching >= nth && matching < nth + times);
          }
        },
      ),
    );
  });

  it('answers the configured platform error, adds up delays, and reports its counts', () => {
    const table = new FaultTable();
    table.add(parseFaultSpec({ function: 'login', delayMs: 30 }));
    table.add(parseFaultSpec({ action: 'database.getDocument', delayMs: 20, times: 2 }));
    table.add(parseFaultSpec({ collection: 'users', error: { code: 'DATABASE_REQUEST_FAILED', message: 'boom' } }));
    const first = table.decide(GET_USERS);
    expect(first.delayMs).toBe(50);
    expect(first.error).toMatchObject({ code: 'DATABASE_REQUEST_FAILED', message: 'boom' });
    expect(table.decide(GET_USERS)).toEqual({ delayMs: 20, error: null });
    expect(table.list().map(({ matched, hit }) => [matched, hit])).toEqual([
      [2, 1],
      [2, 2],
      [2, 1],
    ]);
    expect(table.clear(2)).toBe(true);
    expect(table.list().map(({ id }) => id)).toEqual([1, 3]);
    table.clear();
    expect(table.decide(GET_USERS)).toEqual({ delayMs: 0, error: null });
  });

  it('matches a cloud call by its apiName, leaving the other cloud calls alone', () => {
    const table = new FaultTable();
    table.add(parseFaultSpec({ apiName: 'security.msgSecCheck', error: { code: 'SYS_ERR' } }));
    const call = (apiName: string): FaultSubject => ({ action: 'wx.openApi', apiName, function: 'saveProfile' });
    expect(table.decide(call('security.mediaCheckAsync')).error).toBeNull();
    expect(table.decide(call('security.msgSecCheck')).error).toMatchObject({ code: 'SYS_ERR' });
    expect(table.list()[0]).toMatchObject({ apiName: 'security.msgSecCheck', matched: 1, hit: 1 });
  });

  it.each([
    [null, 'fault must be an object'],
    [{ error: { code: 'X' }, delayMs: 5 }, 'either error'],
    [{}, 'either error'],
    [{ delayMs: 0 }, 'delayMs'],
    [{ delayMs: 10 * 60 * 1000 + 1 }, 'delayMs'],
    [{ nth: 0, delayMs: 1 }, 'nth'],
    [{ times: 1.5, delayMs: 1 }, 'times'],
    [{ action: 'a b', delayMs: 1 }, 'fault.action'],
    [{ apiName: 7, delayMs: 1 }, 'fault.apiName'],
    [{ error: { code: '' } }, 'error.code'],
    [{ error: { code: 'X', message: 7 } }, 'error.message'],
    [{ delayMs: 1, colection: 'typo' }, 'unknown fault field "colection"'],
  ])('refuses %j with a message naming the problem', (spec, message) => {
    expect(() => parseFaultSpec(spec)).toThrow(FaultSpecError);
    expect(() => parseFaultSpec(spec)).toThrow(message);
  });
});
