import type { HelperDelegate } from 'handlebars';
import { PORTAL_TEXT } from './messages.js';
import { chinaDate, chinaDateTimeIso, formatChinaDateTime } from '../domain/china-time.js';
import { displayAmount, displayPrice, parseAmount, parsePrice, PRICE_FORMS } from '../domain/money.js';
import { searchTerms } from '../trading/notice-search.js';
import { escapeHtml } from '../http/html.js';
import { isValidCreditCode } from '../domain/credit-code.js';

export { escapeHtml };

/** A string Handlebars must not escape again (what handlebars.SafeString makes). */
interface SafeStringClass {
  new (html: string): unknown;
}

/**
 * The few formatting helpers templates may use; decisions belong in controllers. Handlebars calls a helper before
 * it looks at the model for a bare `{{name}}`, so each one takes an argument and none stands for a value (such as
 * the current year) that a model might also carry: view-helpers-shadowing.spec.ts checks every template.
 */
export function registerViewHelpers(handlebars: {
  registerHelper(name: string, fn: HelperDelegate): void;
  SafeString?: SafeStringClass;
}) {
  const safe = (html: string) => (handlebars.SafeString ? new handlebars.SafeString(html) : html);
  handlebars.registerHelper('eq', (a: unknown, b: unknown) => a === b);
  handlebars.registerHelper('time', (v: unknown) => formatTime(v));
  handlebars.registerHelper('isoTime', (v: unknown) => (toDate(v) ? chinaDateTimeIso(toDate(v)!) : ''));
  handlebars.registerHelper('date', (v: unknown) => formatDate(v));
  handlebars.registerHelper('amount', (v: unknown) => formatAmount(v));
  handlebars.registerHelper('price', (v: unknown) => formatPrice(v));
  handlebars.registerHelper('highlight', (text: unknown, q: unknown) =>
    safe(highlightHtml(String(text ?? ''), typeof q === 'string' ? q : undefined)),
  );
  handlebars.registerHelper('orgLink', (name: unknown, creditCode: unknown) => safe(orgLinkHtml(name, creditCode)));
}

/**
 * A party's name linked to its organisation page (/organizations/{creditCode}) when it carries a valid unified
 * social credit code; a name without one (a natural person, a paddle number) stays plain text.
 */
export function orgLinkHtml(name: unknown, creditCode: unknown): string {
  const text = escapeHtml(String(name ?? ''));
  return typeof creditCode === 'string' && isValidCreditCode(creditCode)
    ? `<a href="/organizations/${creditCode}">${text}</a>`
    : text;
}

function toDate(v: unknown): Date | undefined {
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? undefined : v;
  if (typeof v !== 'string' || !v) return undefined;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

/** "2026-11-25 09:30（北京时间）" from a Date or an ISO string with its offset. */
export function formatTime(v: unknown): string {
  const d = toDate(v);
  return d ? `${formatChinaDateTime(d)}${PORTAL_TEXT.beijingTime}` : '';
}

/** A China date: business dates are stored as "YYYY-MM-DD" already; instants are converted. */
export function formatDate(v: unknown): string {
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const d = toDate(v);
  return d ? chinaDate(d) : '';
}

/**
 * The one rule for money on every page, card and chart: exact to the fen, in 元, with thousands separators and
 * exactly two decimals ("11,805,000.00元"), whatever unit it was entered in, so amounts side by side compare at a
 * glance and nothing is rounded. Exports carry the same exact amount as a plain decimal in yuan ("11805000.00").
 */
export function formatMoney(fen: bigint): string {
  return displayAmount(fen, '元');
}

/** A stored amount {value, unit, yuan} by the money rule: "12,000,000.00元" for 1200 万元. */
export function formatAmount(v: unknown): string {
  const a = v as { yuan?: string } | null;
  if (!a || typeof a.yuan !== 'string') return '';
  try {
    return formatMoney(parseAmount(a.yuan, '元'));
  } catch {
    return `${a.yuan}元`;
  }
}

/** A stored price {form, value, unit}: an amount by the money rule, or a rate with its label ("下浮率 3.5%"). */
export function formatPrice(v: unknown): string {
  const p = v as { form?: string; value?: string; unit?: string } | null;
  if (!p || typeof p.value !== 'string') return '';
  try {
    const price = parsePrice({ form: p.form ?? 'amount', value: p.value, unit: p.unit ?? '元' });
    if (price.fen === undefined) return displayPrice(price);
    return price.form === 'amount'
      ? formatMoney(price.fen)
      : `${PRICE_FORMS[price.form].label} ${formatMoney(price.fen)}`;
  } catch {
    return `${p.value}${p.unit ?? ''}`;
  }
}

/**
 * The text as HTML with every occurrence of the search terms wrapped in <mark>. Matches are found in the plain
 * text and each piece is escaped on its own, so a term can never match inside an entity or inject markup.
 */
export function highlightHtml(text: string, q: string | undefined): string {
  const terms = q ? searchTerms(q).sort((a, b) => b.length - a.length) : [];
  if (!terms.length) return escapeHtml(text);
  const pattern = new RegExp(terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'giu');
  let html = '';
  let last = 0;
  for (const m of text.matchAll(pattern)) {
    html += `${escapeHtml(text.slice(last, m.index))}<mark>${escapeHtml(m[0])}</mark>`;
    last = m.index + m[0].length;
  }
  return html + escapeHtml(text.slice(last));
}
