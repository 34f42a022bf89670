import iconv from 'iconv-lite';
import { isValidCreditCode } from '../domain/credit-code.js';
import { DomainError } from '../domain/errors.js';
import { parsePrice, PRICE_FORMS } from '../domain/money.js';
import { csvRecords } from '../domain/working-days.js';

/**
 * The bid-opening CSV exported by the e-trading system: one header line, then one bid per line. Columns are
 * found by their header, in any order; columns not listed here (序号 …) are ignored. UTF-8 or GBK, BOM or not.
 */
export const BID_CSV_COLUMNS = [
  { header: '投标人名称', key: 'bidder', required: true, note: '2 到 200 个字符' },
  { header: '统一社会信用代码', key: 'creditCode', required: true, note: '18 位，校验位按 GB 32100-2015' },
  { header: '报价形式', key: 'form', required: false, note: '报价金额、下浮率、费率、折扣率或单价；空白即报价金额' },
  { header: '报价', key: 'value', required: true, note: '不带千分位的数字，如 11805000.00' },
  { header: '单位', key: 'unit', required: false, note: '元、万元或 %；空白即元' },
  { header: '工期', key: 'duration', required: false, note: '' },
  { header: '质量', key: 'quality', required: false, note: '' },
  { header: '项目经理', key: 'projectManager', required: false, note: '' },
  { header: '备注', key: 'remark', required: false, note: '' },
] as const;

export const BID_CSV_MAX_ROWS = 500;
const FORM_BY_LABEL = new Map<string, string>(
  Object.entries(PRICE_FORMS).flatMap(([slug, { label }]) => [
    [label, slug],
    [slug, slug],
  ]),
);
const MAX_LENGTH: Record<string, number> = { duration: 100, quality: 100, projectManager: 50, remark: 500 };

export interface ImportedBid {
  bidder: string;
  creditCode: string;
  price: { form: string; value: string; unit: string };
  duration?: string;
  quality?: string;
  projectManager?: string;
  remark?: string;
}

export interface BidRowProblem {
  /** Line in the file (the header is line 1). */
  line: number;
  bidder: string;
  problems: string[];
}

/** The text of an uploaded file: UTF-8 (with or without BOM) when it decodes as such, otherwise GBK (Excel/WPS in China). */
export function decodeCsv(bytes: Buffer): { text: string; encoding: 'UTF-8' | 'GBK' } {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(body), encoding: 'UTF-8' };
  } catch {
    return { text: iconv.decode(body, 'gbk'), encoding: 'GBK' };
  }
}

/** Every row checked; bids only when every row is valid (all or nothing), else every problem by line. */
export function parseBidCsv(bytes: Buffer): {
  bids: ImportedBid[];
  lines: number[];
  problems: BidRowProblem[];
  fileProblem: string | null;
  encoding: string;
} {
  const { text, encoding } = decodeCsv(bytes);
  const empty = { bids: [], lines: [], problems: [], encoding };
  let records: { line: number; fields: string[] }[];
  try {
    records = csvRecords(text).filter((r) => r.fields.some((f) => f.trim() !== ''));
  } catch (e) {
    if (!(e instanceof DomainError)) throw e;
    return { ...empty, fileProblem: `第 ${(e.details as { line?: number })?.line ?? '?'} 行的引号未闭合` };
  }
  if (!records.length) return { ...empty, fileProblem: '文件是空的' };
  const header = records[0].fields.map((h) => h.trim());
  const missing = BID_CSV_COLUMNS.filter((c) => c.required && !header.includes(c.header)).map((c) => c.header);
  if (missing.length)
    return {
      ...empty,
      fileProblem: `第 1 行（表头）缺少列：${missing.join('、')}。表头应包含：${BID_CSV_COLUMNS.map((c) => c.header).join(',')}`,
    };
  const rows = records.slice(1);
  if (!rows.length) return { ...empty, fileProblem: '文件只有表头，没有投标记录' };
  if (rows.length > BID_CSV_MAX_ROWS)
    return { ...empty, fileProblem: `一次最多导入 ${BID_CSV_MAX_ROWS} 条投标记录，文件有 ${rows.length} 条` };

  const bids: ImportedBid[] = [];
  const problems: BidRowProblem[] = [];
  const seen = new Map<string, number>();
  for (const { line, fields } of rows) {
    const cell = (key: string) => {
      const i = header.indexOf(BID_CSV_COLUMNS.find((c) => c.key === key)!.header);
      return i >= 0 ? (fields[i] ?? '').trim() : '';
    };
    const found: string[] = [];
    const bidder = cell('bidder');
    if ([...bidder].length < 2 || [...bidder].length > 200) found.push('投标人名称应为 2 到 200 个字符');
    const creditCode = cell('creditCode').toUpperCase();
    if (!isValidCreditCode(creditCode))
      found.push(`统一社会信用代码“${cell('creditCode')}”无效（18 位，校验位按 GB 32100-2015 计算）`);
    else if (seen.has(creditCode)) found.push(`统一社会信用代码与第 ${seen.get(creditCode)} 行重复`);
    else seen.set(creditCode, line);
    const form = cell('form') ? FORM_BY_LABEL.get(cell('form')) : 'amount';
    const unit = cell('unit') || (form === 'amount' || form === 'unit-price' ? '元' : '%');
    const value = cell('value').replace(/[,，\s]/g, '');
    if (!form)
      found.push(
        `报价形式“${cell('form')}”应为 ${Object.values(PRICE_FORMS)
          .map((f) => f.label)
          .join('、')} 之一`,
      );
    else {
      try {
        parsePrice({ form, value, unit });
      } catch (e) {
        if (!(e instanceof DomainError)) throw e;
        found.push(value ? e.message : '报价为空');
      }
    }
    const extra: Record<string, string> = {};
    for (const key of ['duration', 'quality', 'projectManager', 'remark']) {
      const v = cell(key);
      if (v.length > MAX_LENGTH[key])
        found.push(`${BID_CSV_COLUMNS.find((c) => c.key === key)!.header}不能超过 ${MAX_LENGTH[key]} 个字符`);
      else if (v) extra[key] = v;
    }
    if (found.length) problems.push({ line, bidder, problems: found });
    else bids.push({ bidder, creditCode, price: { form: form!, value, unit }, ...extra });
  }
  return problems.length
    ? { ...empty, problems, fileProblem: null }
    : { bids, lines: rows.map((r) => r.line), problems: [], fileProblem: null, encoding };
}
