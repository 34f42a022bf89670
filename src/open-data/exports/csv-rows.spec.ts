import 'reflect-metadata';
import { csvCell } from '../../http/csv.js';
import { chinaDateTimeIso } from '../../domain/china-time.js';
import { rssDate } from '../feeds/feed-document.js';
import { ocdsValue } from '../ocds/ocds-release.js';

describe('CSV cells', () => {
  it.each([
    ['text', '=SUM(A1:A9)', "'=SUM(A1:A9)"],
    ['text', '+8613800000000', "'+8613800000000"],
    ['text', '-1', "'-1"],
    ['text', '@cmd', "'@cmd"],
    ['text', '\tx', "'\tx"],
    ['text', '大连=公司', '大连=公司'],
    ['number', '-1200.00', '-1200.00'],
    ['time', '2026-11-25T10:00:00+08:00', '2026-11-25T10:00:00+08:00'],
    ['text', null, ''],
  ] as const)('%s %j → %j', (kind, value, expected) => {
    expect(csvCell(kind, value)).toBe(expected);
  });
});

describe('machine formats of time and money', () => {
  it('prints feed dates in China Standard Time with the offset', () => {
    const d = new Date(Date.parse('2026-11-25T16:30:05Z'));
    expect(rssDate(d)).toBe('Thu, 26 Nov 2026 00:30:05 +0800');
    expect(chinaDateTimeIso(d)).toBe('2026-11-26T00:30:05+08:00');
  });

  it('turns the exact yuan string into an OCDS amount only at the end, and leaves rates out', () => {
    expect(ocdsValue({ value: '1180.5', unit: '万元', yuan: '11805000.00' })).toEqual({
      amount: 11805000,
      currency: 'CNY',
    });
    expect(ocdsValue({ form: 'amount', value: '0.1', unit: '元', yuan: '0.10' })?.amount.toFixed(2)).toBe('0.10');
    expect(ocdsValue({ form: 'down-rate', value: '3.5', unit: '%' })).toBeUndefined();
  });
});
