import { displayAmount, formatAmountIn, type AmountUnit } from '../domain/money.js';

/** Formatting shared by the demo notices' Chinese bodies, and the amounts their details carry. */

/** '2026-11-25' → '2026年11月25日' */
export function cnDate(date: string): string {
  const [y, m, d] = date.slice(0, 10).split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

/** '2026-11-25T09:30:00+08:00' → '2026年11月25日9时30分' */
export function cnDateTime(iso: string): string {
  const [h, mi] = iso.slice(11, 16).split(':').map(Number);
  return `${cnDate(iso)}${h}时${String(mi).padStart(2, '0')}分`;
}

/** An amount as notice details take it: exact decimal string in its unit. `fen` is a whole number of fen. */
export function amount(fen: number, unit: AmountUnit): { value: string; unit: AmountUnit } {
  return { value: formatAmountIn(BigInt(Math.round(fen)), unit), unit };
}

export function showAmount(fen: number, unit: AmountUnit): string {
  return displayAmount(BigInt(Math.round(fen)), unit);
}

/** Fen of `wan` 万元 rounded to whole 元 (budgets are quoted in 万元 with up to 4 decimals). */
export const wanToFen = (wan: number) => Math.round(wan * 10000) * 100;

/** Numbered sections of a notice body: 一、… 二、… */
export function numbered(parts: [string, string][]): string {
  const numerals = '一二三四五六七八九十';
  return parts.map(([head, text], i) => `${numerals[i]}、${head}\n${text}`).join('\n\n');
}

export const PLATFORM_URL = 'https://ggzy.dl.gov.cn';
export const PLATFORM_NAME = '大连市公共资源交易平台';
export const CENTER_ADDRESS = '大连市沙河口区会展路（大连市公共资源交易中心）';
