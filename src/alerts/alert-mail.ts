import { randomUUID } from 'node:crypto';
import { noticeTypeBySlug, regionName } from '../domain/catalog.js';
import { formatChinaDateTime } from '../domain/china-time.js';
import { escapeHtml } from '../http/html.js';
import type { AlertMail } from './alert.entities.js';

/** What alert mails say, in Chinese, as plain text and HTML: plain functions (the spec reads them). */

export interface MailContent {
  subject: string;
  text: string;
  html: string;
}

export interface MailItem {
  title: string;
  type: string;
  regionCode: string;
  deadline: Date | null;
  url: string;
  kind: 'publication' | 'correction' | 'withdrawal';
  /** The title of the notice it corrects or withdraws, when the alert received that one. */
  follows: string | null;
}

/** A mail as it enters the outbox: queued to go at once, with its Message-ID fixed (newMessageId). */
export function queuedMail(
  fields: Pick<AlertMail, 'alertId' | 'kind' | 'linkToken'>,
  publicBaseUrl: string,
  now: Date,
): Omit<AlertMail, 'id'> {
  return {
    ...fields,
    messageId: newMessageId(publicBaseUrl),
    status: 'queued',
    attempts: 0,
    nextAttemptAt: now,
    lastError: null,
    createdAt: now,
    sentAt: null,
  };
}

/** A Message-ID fixed when a mail is queued: a retry or a repeat after a crash carries the same one. */
export function newMessageId(publicBaseUrl: string): string {
  let host = 'localhost';
  try {
    host = new URL(publicBaseUrl).hostname || host;
  } catch {
    // the configuration refuses a bad PUBLIC_BASE_URL
  }
  return `<alert.${randomUUID()}@${host}>`;
}

const MARK = { publication: '', correction: '【更正】', withdrawal: '【撤回】' } as const;

function itemLines(item: MailItem): string[] {
  const lines = [`${MARK[item.kind]}${item.title}`];
  if (item.follows) lines.push(`  ${item.kind === 'withdrawal' ? '撤回' : '更正'}了您此前收到的：${item.follows}`);
  lines.push(
    `  类型：${noticeTypeBySlug(item.type)?.name ?? item.type}\u3000地区：${regionName(item.regionCode) ?? item.regionCode}`,
  );
  if (item.deadline) lines.push(`  投标截止：${formatChinaDateTime(item.deadline)}（北京时间）`);
  lines.push(`  ${item.url}`);
  return lines;
}

export function noticesMail(input: {
  site: string;
  filterTitle: string;
  filterWords: string[];
  items: MailItem[];
  manageUrl: string;
  unsubscribeUrl: string;
  digest: boolean;
}): MailContent {
  const n = input.items.length;
  const subject = `${input.digest ? '【每日汇总】' : '【订阅提醒】'}${input.filterTitle}：${n} 条新公告`;
  const intro = input.digest ? `您订阅的搜索今天有 ${n} 条新公告：` : `您订阅的搜索有 ${n} 条新公告：`;
  const footer = [
    `订阅条件：${input.filterWords.join('；')}`,
    `管理订阅（修改频率、暂停、删除）：${input.manageUrl}`,
    `退订：${input.unsubscribeUrl}`,
    `此邮件由${input.site}自动发送，请勿回复。`,
  ];
  const text = [intro, '', ...input.items.flatMap((i) => [...itemLines(i), '']), '--', ...footer, ''].join('\n');
  const e = escapeHtml;
  const htmlItems = input.items
    .map((i) => {
      const type = noticeTypeBySlug(i.type)?.name ?? i.type;
      const region = regionName(i.regionCode) ?? i.regionCode;
      return [
        '<li>',
        `<a href="${e(i.url)}">${e(MARK[i.kind] + i.title)}</a>`,
        i.follows ? `<br>${i.kind === 'withdrawal' ? '撤回' : '更正'}了您此前收到的：${e(i.follows)}` : '',
        `<br>类型：${e(type)}\u3000地区：${e(region)}`,
        i.deadline ? `<br>投标截止：${e(formatChinaDateTime(i.deadline))}（北京时间）` : '',
        '</li>',
      ].join('');
    })
    .join('\n');
  const html = [
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>',
    `<p>${e(intro)}</p>`,
    `<ol>\n${htmlItems}\n</ol>`,
    '<hr>',
    `<p>订阅条件：${e(input.filterWords.join('；'))}</p>`,
    `<p><a href="${e(input.manageUrl)}">管理订阅</a>（修改频率、暂停、删除） · <a href="${e(input.unsubscribeUrl)}">退订</a></p>`,
    `<p>此邮件由${e(input.site)}自动发送，请勿回复。</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

export function confirmationMail(input: {
  site: string;
  filterWords: string[];
  confirmUrl: string;
  hours: number;
}): MailContent {
  const subject = `请确认订阅：${input.site}公告提醒`;
  const text = [
    '您（或他人使用您的地址）在本网站订阅了以下搜索的公告提醒：',
    ...input.filterWords.map((w) => `  ${w}`),
    '',
    `请在 ${input.hours} 小时内打开以下链接确认订阅：`,
    input.confirmUrl,
    '',
    '如果不是您本人操作，请忽略此邮件：不确认，就不会再收到任何邮件，地址也会被删除。',
    `此邮件由${input.site}自动发送，请勿回复。`,
    '',
  ].join('\n');
  const e = escapeHtml;
  const html = [
    '<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"></head><body>',
    '<p>您（或他人使用您的地址）在本网站订阅了以下搜索的公告提醒：</p>',
    `<ul>${input.filterWords.map((w) => `<li>${e(w)}</li>`).join('')}</ul>`,
    `<p>请在 ${input.hours} 小时内<a href="${e(input.confirmUrl)}">确认订阅</a>：<br>${e(input.confirmUrl)}</p>`,
    '<p>如果不是您本人操作，请忽略此邮件：不确认，就不会再收到任何邮件，地址也会被删除。</p>',
    `<p>此邮件由${e(input.site)}自动发送，请勿回复。</p>`,
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}

/** An SMTP error as kept and logged: addresses removed (personal data). */
export function redactAddresses(message: string): string {
  return message.replace(/[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g, '[address]').slice(0, 500);
}
