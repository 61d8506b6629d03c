import { formatMoney, renderDetails, renderTable, truncate, type Column } from '../../lambda/cli/table';

interface Row { readonly name: string; readonly cost: number }
const columns: readonly Column<Row>[] = [
  { header: 'NAME', value: (row) => row.name, maxWidth: 10 },
  { header: 'COST', value: (row) => formatMoney(row.cost), align: 'right' },
];

describe('tables', () => {
  it('sizes columns from their content and right-aligns money', () => {
    const text = renderTable([{ name: 'a', cost: 1.23456 }, { name: 'platform', cost: 120 }], columns);
    expect(text.split('\n')).toEqual(['NAME           COST', 'a           $1.2346', 'platform  $120.0000', '']);
  });

  it('cuts long cells with an ellipsis and keeps them on one line', () => {
    const text = renderTable([{ name: 'a-very-long-team-name', cost: 0 }, { name: 'two\nlines', cost: 0 }], columns);
    expect(text).toContain('a-very-lo… ');
    expect(text).toContain('two lines');
    expect(truncate('abcdef', 4)).toBe('abc…');
  });

  it('uses colour only when asked, and says (none) for no rows', () => {
    expect(renderTable([{ name: 'a', cost: 0 }], columns, { colour: true })).toContain('\u001b[1m');
    expect(renderTable([{ name: 'a', cost: 0 }], columns)).not.toContain('\u001b');
    expect(renderTable([], columns)).toBe('(none)\n');
  });

  it('formats money to four decimals and details aligned', () => {
    expect(formatMoney(0.00012)).toBe('$0.0001');
    expect(formatMoney(-2)).toBe('-$2.0000');
    expect(renderDetails([['id', 'k1'], ['expires', undefined], ['created', '2026-12-01T00:00:00.000Z']])).toBe('id:       k1\ncreated:  2026-12-01T00:00:00.000Z\n');
  });
});
