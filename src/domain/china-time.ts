import { DomainError } from './errors.js';

/**
 * Instants are stored as UTC Dates; business dates and display use China Standard Time, a fixed UTC+08:00 with
 * no daylight saving, so plain arithmetic on the offset is exact and needs no time-zone database.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function invalid(value: unknown, what = '日期时间'): DomainError {
  return new DomainError('datetime.invalid', `${what}格式不正确：“${String(value)}”`, { value });
}

/** UTC milliseconds of a civil time; setUTCFullYear avoids Date.UTC mapping years 0–99 to 1900–1999. */
function utcMs(y: number, month: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(y, month - 1, d);
  t.setUTCHours(h, mi, s, ms);
  return t.getTime();
}

function daysInMonth(y: number, month: number): number {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

function isRealDate(y: number, month: number, d: number): boolean {
  return month >= 1 && month <= 12 && d >= 1 && d <= daysInMonth(y, month);
}

/** Wall-clock fields of an instant in CST. */
function cstFields(d: Date): Date {
  // Duck-typed: under Jest's VM a Date from another realm fails `instanceof Date`.
  if (typeof d?.getTime !== 'function' || Number.isNaN(d.getTime())) throw invalid(d);
  return new Date(d.getTime() + CST_OFFSET_MS);
}

function ymd(t: Date): string {
  return `${pad(t.getUTCFullYear(), 4)}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
}

export function isValidChinaDate(s: string): boolean {
  const m = typeof s === 'string' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(s) : null;
  return m !== null && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

/** A China date as UTC midnight of the same calendar day: handy for day arithmetic. */
function dateMs(date: string): number {
  if (!isValidChinaDate(date)) throw invalid(date, '日期');
  const [y, month, d] = date.split('-').map(Number);
  return utcMs(y, month, d);
}

export function chinaDate(d: Date): string {
  return ymd(cstFields(d));
}

export function chinaDateTimeIso(d: Date): string {
  const t = cstFields(d);
  const ms = t.getUTCMilliseconds();
  const time = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
  return `${ymd(t)}T${time}${ms ? '.' + pad(ms, 3) : ''}+08:00`;
}

export function formatChinaDateTime(d: Date): string {
  const t = cstFields(d);
  return `${ymd(t)} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
}

export function chinaDayStart(date: string): Date {
  return new Date(dateMs(date) - CST_OFFSET_MS);
}

export function chinaDayEnd(date: string): Date {
  return new Date(dateMs(date) - CST_OFFSET_MS + DAY_MS - 1);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

/**
 * Accepts ISO 8601 with an offset or Z, a CST wall-clock time without offset ('2026-11-25 09:30',
 * '2026-11-25T09:30[:00]'), or a bare date (00:00 CST). Staff type CST, machines send offsets.
 */
export function parseDateTimeInput(s: string): Date {
  const m = typeof s === 'string' ? DATE_TIME.exec(s) : null;
  if (!m) throw invalid(s);
  const [, y, month, d, h = '0', mi = '0', sec = '0', frac = '', zone] = m;
  const [yn, mn, dn, hn, min, sn] = [y, month, d, h, mi, sec].map(Number);
  if (!isRealDate(yn, mn, dn) || hn > 23 || min > 59 || sn > 59) throw invalid(s);

  let offsetMs = CST_OFFSET_MS;
  if (zone === 'Z') offsetMs = 0;
  else if (zone) {
    const [oh, om] = zone.slice(1).split(':').map(Number);
    if (oh > 23 || om > 59) throw invalid(s);
    offsetMs = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60 * 1000;
  }
  return new Date(utcMs(yn, mn, dn, hn, min, sn, Number(frac.padEnd(3, '0'))) - offsetMs);
}

export function addDays(date: string, n: number): string {
  if (!Number.isInteger(n)) throw invalid(n, '天数');
  return ymd(new Date(dateMs(date) + n * DAY_MS));
}

/** 0 = Sunday … 6 = Saturday. */
export function dayOfWeek(date: string): number {
  return new Date(dateMs(date)).getUTCDay();
}

/** b − a in days. */
export function daysBetween(a: string, b: string): number {
  return Math.round((dateMs(b) - dateMs(a)) / DAY_MS);
}
