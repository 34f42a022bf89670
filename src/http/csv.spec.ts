import { csvField, csvLines } from './csv.js';

describe('the CSV writer', () => {
  it.each([
    ['plain', 'plain'],
    ['大连建工', '大连建工'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['line\nbreak', '"line\nbreak"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ['crlf\r\npair', '"crlf\r\npair"'],
    ['-1200.00', '-1200.00'],
    ['', ''],
  ])('writes %j as %j', (value, expected) => expect(csvField(value)).toBe(expected));

  it('ends every record in CRLF', () => {
    expect(
      csvLines([
        ['a', 'b'],
        ['第一行\n第二行', '1'],
      ]),
    ).toBe('a,b\r\n"第一行\n第二行",1\r\n');
    expect(csvLines([])).toBe('');
  });
});
