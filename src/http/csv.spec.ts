import { PassThrough } from 'node:stream';
import { csvField, csvLines, streamCsv } from './csv.js';

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

  it('streams the BOM and the header line, then the body, then ends', async () => {
    const out = new PassThrough();
    const read: Buffer[] = [];
    out.on('data', (b: Buffer) => read.push(b));
    await streamCsv(
      out,
      [{ header: '编号' }, { header: 'b' }],
      () => false,
      async (send) => {
        await send('1,x\r\n');
        await send('2,y\r\n');
      },
    );
    expect(out.writableEnded).toBe(true);
    expect(Buffer.concat(read).toString('utf8')).toBe('\uFEFF编号,b\r\n1,x\r\n2,y\r\n');
  });

  it('leaves the stream open once the reader has gone', async () => {
    const out = new PassThrough();
    out.resume();
    let gone = false;
    await streamCsv(
      out,
      [{ header: 'a' }],
      () => gone,
      async (send) => {
        await send('1\r\n');
        gone = true;
      },
    );
    expect(out.writableEnded).toBe(false);
  });
});
