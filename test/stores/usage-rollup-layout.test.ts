import { monthsOf, rollupSortKey, splitRange } from '../../lambda/stores/dynamo/rollup-layout';

const ms = (text: string): number => Date.parse(text);

describe('roll-up layout', () => {
  it('splits a range into whole UTC days (roll-ups) and partial edges (records)', () => {
    expect(splitRange(ms('2026-03-01T10:00:00Z'), ms('2026-03-04T05:00:00Z'))).toEqual({
      wholeDays: { fromMs: ms('2026-03-02T00:00:00Z'), toMs: ms('2026-03-04T00:00:00Z') },
      edges: [{ fromMs: ms('2026-03-01T10:00:00Z'), toMs: ms('2026-03-02T00:00:00Z') }, { fromMs: ms('2026-03-04T00:00:00Z'), toMs: ms('2026-03-04T05:00:00Z') }],
      subtract: [],
    });
    expect(splitRange(ms('2026-03-01T00:00:00Z'), ms('2026-04-01T00:00:00Z'))).toEqual({
      wholeDays: { fromMs: ms('2026-03-01T00:00:00Z'), toMs: ms('2026-04-01T00:00:00Z') }, edges: [], subtract: [],
    });
    // Less than a whole day: records only.
    expect(splitRange(ms('2026-03-01T10:00:00Z'), ms('2026-03-02T09:00:00Z'))).toEqual({
      edges: [{ fromMs: ms('2026-03-01T10:00:00Z'), toMs: ms('2026-03-02T09:00:00Z') }], subtract: [],
    });
    expect(splitRange(5, 5)).toEqual({ edges: [], subtract: [] });
  });

  it('reads a range ending now as whole days, taking back out the records after `to` (month to date reads no record of today)', () => {
    const now = ms('2026-03-04T05:00:00Z');
    expect(splitRange(ms('2026-03-01T00:00:00Z'), now, now)).toEqual({
      wholeDays: { fromMs: ms('2026-03-01T00:00:00Z'), toMs: ms('2026-03-05T00:00:00Z') }, edges: [],
      subtract: [{ fromMs: now, toMs: ms('2026-03-05T00:00:00Z') }],
    });
    // Today only, from midnight: one roll-up day minus what lies after now.
    expect(splitRange(ms('2026-03-04T00:00:00Z'), now, now)).toEqual({
      wholeDays: { fromMs: ms('2026-03-04T00:00:00Z'), toMs: ms('2026-03-05T00:00:00Z') }, edges: [],
      subtract: [{ fromMs: now, toMs: ms('2026-03-05T00:00:00Z') }],
    });
    // Starting mid-day today: records only.
    expect(splitRange(ms('2026-03-04T01:00:00Z'), now, now)).toEqual({ edges: [{ fromMs: ms('2026-03-04T01:00:00Z'), toMs: now }], subtract: [] });
    // Ending before now: the partial last day is read from its records.
    expect(splitRange(ms('2026-03-01T00:00:00Z'), now, now + 1).subtract).toEqual([]);
  });

  it('lists the months of whole days with their first and last day', () => {
    expect(monthsOf(ms('2026-01-30T00:00:00Z'), ms('2026-03-02T00:00:00Z'))).toEqual([
      { month: '2026-01', firstDay: '2026-01-30', lastDay: '2026-01-31' },
      { month: '2026-02', firstDay: '2026-02-01', lastDay: '2026-02-28' },
      { month: '2026-03', firstDay: '2026-03-01', lastDay: '2026-03-01' },
    ]);
  });

  it('keys a group by all its values, so separators inside names cannot collide', () => {
    const base = { day: '2026-03-01', teamId: 't', keyId: 'k', model: 'm' };
    const keys = [
      rollupSortKey(base), rollupSortKey({ ...base, model: 'm#x' }), rollupSortKey({ ...base, keyId: 'k#m', model: 'x' }),
      rollupSortKey({ ...base, user: 'u' }), rollupSortKey({ ...base, provider: 'u' }), rollupSortKey({ ...base, user: '' }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.every((key) => key.startsWith('2026-03-01#') && key.length < 64)).toBe(true);
  });
});
