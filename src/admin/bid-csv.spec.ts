import iconv from 'iconv-lite';
import { makeCreditCode } from '../domain/credit-code.js';
import { decodeCsv, parseBidCsv } from './bid-csv.js';

const code = (n: number) => makeCreditCode(`91210200MA${String(n).padStart(7, '0')}`);
const HEADER = '序号,投标人名称,统一社会信用代码,报价形式,报价,单位,工期,质量,项目经理,备注';
const csv = (...lines: string[]) => [HEADER, ...lines].join('\r\n') + '\r\n';

describe('bid-opening CSV', () => {
  const good = csv(
    `1,大连建工集团有限公司,${code(1)},报价金额,11805000.00,元,365日历天,合格,王五,`,
    `2,"大连市政建设有限公司（联合体）",${code(2)},,1180.5,万元,,,,"含""暂列金额"""`,
    `3,辽宁路桥有限公司,${code(3).toLowerCase()},下浮率,3.5,%,,,,`,
  );

  it.each([
    ['UTF-8', Buffer.from(good, 'utf8')],
    ['UTF-8 with BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(good, 'utf8')])],
    ['GBK', iconv.encode(good, 'gbk')],
  ])('reads %s', (encoding, bytes) => {
    const result = parseBidCsv(bytes);
    expect(result.problems).toEqual([]);
    expect(result.fileProblem).toBeNull();
    expect(result.encoding).toBe(encoding === 'GBK' ? 'GBK' : 'UTF-8');
    expect(result.bids).toEqual([
      {
        bidder: '大连建工集团有限公司',
        creditCode: code(1),
        price: { form: 'amount', value: '11805000.00', unit: '元' },
        duration: '365日历天',
        quality: '合格',
        projectManager: '王五',
      },
      {
        bidder: '大连市政建设有限公司（联合体）',
        creditCode: code(2),
        price: { form: 'amount', value: '1180.5', unit: '万元' },
        remark: '含"暂列金额"',
      },
      { bidder: '辽宁路桥有限公司', creditCode: code(3), price: { form: 'down-rate', value: '3.5', unit: '%' } },
    ]);
    expect(result.lines).toEqual([2, 3, 4]);
  });

  it('reports every bad row by line and returns no bids at all', () => {
    const bad = csv(
      `1,大连建工集团有限公司,${code(1)},,11805000.00,元,,,,`,
      `2,坏代码公司,91210200MA0000001X,,100,元,,,,`,
      `3,报价有误公司,${code(3)},,12.345,元,,,,`,
      `4,X,${code(1)},折让,5,%,,,,`,
      `5,没有报价公司,${code(5)},,,,,,,`,
    );
    const result = parseBidCsv(Buffer.from(bad));
    expect(result.bids).toEqual([]);
    expect(result.problems.map((p) => [p.line, p.problems.length])).toEqual([
      [3, 1],
      [4, 1],
      [5, 3],
      [6, 1],
    ]);
    expect(result.problems[0].problems[0]).toContain('统一社会信用代码“91210200MA0000001X”无效');
    expect(result.problems[1].problems[0]).toMatch(/最多2位小数/);
    expect(result.problems[2].problems).toEqual([
      '投标人名称应为 2 到 200 个字符',
      '统一社会信用代码与第 2 行重复',
      expect.stringContaining('报价形式“折让”应为'),
    ]);
    expect(result.problems[3].problems).toEqual(['报价为空']);
  });

  it('names what is wrong with the file itself', () => {
    expect(parseBidCsv(Buffer.from('')).fileProblem).toBe('文件是空的');
    expect(parseBidCsv(Buffer.from('名称,代码\r\n')).fileProblem).toContain(
      '缺少列：投标人名称、统一社会信用代码、报价',
    );
    expect(parseBidCsv(Buffer.from(csv()))).toMatchObject({ fileProblem: '文件只有表头，没有投标记录' });
    expect(parseBidCsv(Buffer.from(csv('1,"未闭合,x'))).fileProblem).toBe('第 2 行的引号未闭合');
    expect(decodeCsv(iconv.encode('投标人名称', 'gbk')).text).toBe('投标人名称');
  });
});
