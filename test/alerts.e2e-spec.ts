import { generateKeyPairSync } from 'node:crypto';
import Parser from 'rss-parser';
import { XMLValidator } from 'fast-xml-parser';
import { AlertMailer } from '../src/alerts/alert-mailer.js';
import { AlertMatcher } from '../src/alerts/alert-matcher.js';
import { Alert, AlertDelivery, AlertMail, AlertToken } from '../src/alerts/alert.entities.js';
import { ALERTS_JOB } from '../src/alerts/alert-jobs.js';
import { JobRunner } from '../src/jobs/job-runner.js';
import { constructionProject, procurementProject, procurementNotice, tenderNotice } from './support/fixtures.js';
import { startOpenDataApp, type Publisher } from './support/open-data.js';
import { linkIn, startSmtpSink, type ReceivedMail, type SmtpSink } from './support/smtp.js';
import { restartTestApp, type FixedClock, type TestApp } from './support/test-app.js';

/**
 * Alerts against a real SMTP server on loopback: sign-up with double opt-in, immediate and digest mail,
 * corrections following their notice, unsubscribing, crashes, unreachable and refusing servers, forged input.
 */
describe('alerts: saved searches by e-mail and private feed', () => {
  let smtp: SmtpSink;
  let t: TestApp;
  let clock: FixedClock;
  let pub: Publisher;
  let env: Record<string, string>;
  const FORGED = 'A'.repeat(43);

  beforeAll(async () => {
    smtp = await startSmtpSink();
    env = {
      SMTP_URL: smtp.url,
      MAIL_FROM: '大连市公共资源交易中心 <noreply@ggzy.example.cn>',
      PUBLIC_BASE_URL: 'https://ggzy.example.cn',
      ALERT_DIGEST_HOUR: '8',
      ALERT_SIGNUPS_PER_IP_PER_HOUR: '1000',
      ALERT_MAX_PER_ADDRESS: '3',
      ALERT_SIGNUPS_PER_ADDRESS_PER_DAY: '3',
      ALERT_PAUSE_AFTER_FAILURES: '2',
      SMTP_TIMEOUT_MS: '2000',
    };
    ({ t, clock, pub } = await startOpenDataApp(env));
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  const runAlerts = () => t.app.get(JobRunner).runOnce(ALERTS_JOB);
  const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));
  const base = 'https://ggzy.example.cn';
  const path = (url: string) => url.replace(base, '');

  async function tender(title: string, regionCode = '210211') {
    const projectId = await pub.project(constructionProject({ regionCode }));
    return pub.publish({ ...tenderNotice(projectId), title });
  }

  async function procurement(title: string) {
    const projectId = await pub.project(procurementProject());
    return pub.publish({ ...procurementNotice(projectId), title });
  }

  /** Signs up, confirms by the link in the confirmation mail; returns the tokens the pages show. */
  async function subscribe(email: string, filter: Record<string, string>, frequency = 'immediate') {
    const signUp = await t
      .http()
      .post('/alerts')
      .type('form')
      .send({ ...filter, email, frequency });
    expect(signUp.status).toBe(202);
    await runAlerts();
    const confirmation = mailsTo(email).at(-1)!;
    expect(confirmation.parsed.subject).toContain('请确认订阅');
    const confirmUrl = linkIn(confirmation, `${base}/alerts/confirm/`);
    const page = await t.http().post(path(confirmUrl)).expect(200);
    return tokensOf(page.text);
  }

  function tokensOf(html: string) {
    const manage = /\/alerts\/([A-Za-z0-9_-]{43})<\/code>/.exec(html)?.[1];
    const feed = /\/alerts\/([A-Za-z0-9_-]{43})\/feed\.rss/.exec(html)?.[1];
    if (!manage || !feed) throw new Error(`no links on the page: ${html}`);
    return { manage, feed };
  }

  it('offers "订阅此搜索" on /notices with the filters and q, and shows them in words', async () => {
    const list = await t.http().get('/notices?category=construction&region=210211&q=道路').expect(200);
    const href = /<a href="([^"]+)"[^>]*>订阅此搜索<\/a>/
      .exec(list.text)?.[1]
      .replace(/&#x3D;/g, '=')
      .replace(/&amp;/g, '&');
    expect(href).toBe(`/alerts?category=construction&region=210211&q=${encodeURIComponent('道路')}`);
    const form = await t.http().get(href!).expect(200);
    expect(form.text).toContain('交易类别：工程建设招投标');
    expect(form.text).toContain('地区：甘井子区');
    expect(form.text).toContain('关键词：“道路”');
    expect(form.text).toContain('name="email"');
    expect(form.headers['cache-control']).toBe('no-store');
    expect(form.headers['referrer-policy']).toBe('no-referrer');
  });

  it('sends only the confirmation until the link in it is opened; confirming starts delivery', async () => {
    const email = 'optin@bidder.example.cn';
    const res = await t.http().post('/alerts').type('form').send({ category: 'construction', email });
    expect(res.status).toBe(202);
    expect(res.text).toContain('请查收确认邮件');
    await tender('未确认前发布的道路工程招标公告');
    await runAlerts();
    await runAlerts();
    expect(mailsTo(email)).toHaveLength(1);
    const confirmation = mailsTo(email)[0];
    expect(confirmation.parsed.text).toContain('交易类别：工程建设招投标');
    expect(confirmation.header('list-unsubscribe')).toBeUndefined();
    const confirmUrl = linkIn(confirmation, `${base}/alerts/confirm/`);
    // Opening the link (a mail scanner does) changes nothing: the page asks for a click.
    const look = await t.http().get(path(confirmUrl)).expect(200);
    expect(look.text).toContain('确认订阅');
    expect(look.headers['referrer-policy']).toBe('no-referrer');
    expect(await t.db.manager.countBy(Alert, { status: 'pending' })).toBeGreaterThan(0);
    const confirmed = await t.http().post(path(confirmUrl)).expect(200);
    expect(confirmed.text).toContain('订阅已确认');
    const { manage, feed } = tokensOf(confirmed.text);
    expect(feed).not.toBe(manage);
    // The link is used up.
    await t.http().post(path(confirmUrl)).expect(404);
    await runAlerts();
    // What was published before the confirmation is not sent.
    expect(mailsTo(email)).toHaveLength(1);
    await tender('确认后发布的排水工程招标公告');
    await runAlerts();
    expect(mailsTo(email)).toHaveLength(2);
    expect(mailsTo(email)[1].parsed.text).toContain('确认后发布的排水工程招标公告');
  });

  it('mails immediate alerts once per batch, in Chinese text and HTML, with one-click unsubscribe headers', async () => {
    const email = 'immediate@bidder.example.cn';
    await subscribe(email, { category: 'construction', region: '210211' });
    const before = mailsTo(email).length;
    const a = await tender('甘井子区一号道路工程招标公告');
    const b = await tender('甘井子区二号道路工程招标公告');
    await tender('中山区道路工程招标公告', '210202');
    await procurement('医用耗材采购公告');
    await runAlerts();
    const mails = mailsTo(email).slice(before);
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail.parsed.subject).toBe('【订阅提醒】工程建设招投标 · 甘井子区：2 条新公告');
    expect(mail.parsed.text).toContain('甘井子区一号道路工程招标公告');
    expect(mail.parsed.text).toContain(`${base}/notices/${a.id}`);
    expect(mail.parsed.text).toContain('投标截止：2026-12-16 09:30（北京时间）');
    expect(mail.parsed.text).not.toContain('中山区道路工程');
    expect(mail.parsed.html).toContain(`<a href="${base}/notices/${b.id}">`);
    expect(mail.header('list-unsubscribe')).toMatch(new RegExp(`^<${base}/alerts/[A-Za-z0-9_-]{43}/unsubscribe>$`));
    expect(mail.header('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.parsed.messageId).toMatch(/^<alert\.[0-9a-f-]+@ggzy\.example\.cn>$/);
    expect(mail.parsed.from?.text).toContain('noreply@ggzy.example.cn');
    await runAlerts();
    expect(mailsTo(email).length).toBe(before + 1);
  });

  it('sends a correction and a withdrawal of a notice already sent to every alert that received it, marked', async () => {
    const email = 'follow@bidder.example.cn';
    await subscribe(email, { type: 'tender', region: '210211' });
    const original = await tender('星海湾道路工程招标公告');
    await runAlerts();
    const before = mailsTo(email).length;
    await pub.publish({
      projectId: original.projectId,
      type: 'correction',
      title: '星海湾道路工程招标澄清公告',
      body: '投标截止时间顺延。',
      targetNoticeId: original.id,
      details: {
        reason: '补充工程量清单',
        affectsBids: true,
        changes: { bidDeadline: '2026-12-22 09:30', openingTime: '2026-12-22 09:30' },
      },
    });
    await runAlerts();
    const mail = mailsTo(email)[before];
    expect(mail.parsed.text).toContain('【更正】星海湾道路工程招标澄清公告');
    expect(mail.parsed.text).toContain('更正了您此前收到的：星海湾道路工程招标公告');
    const alert = await t.db.manager.findOneByOrFail(Alert, { email });
    const delivery = await t.db.manager.findOneByOrFail(AlertDelivery, {
      alertId: alert.id,
      targetNoticeId: original.id,
    });
    expect(delivery.reason).toBe('follows');
    await pub.publish({
      projectId: original.projectId,
      type: 'withdrawal',
      title: '关于撤回星海湾道路工程招标公告的声明',
      body: '因项目调整，撤回该招标公告。',
      targetNoticeId: original.id,
      details: { reason: '项目调整' },
    });
    await runAlerts();
    const withdrawal = mailsTo(email)[before + 1];
    expect(withdrawal.parsed.text).toContain('【撤回】关于撤回星海湾道路工程招标公告的声明');
    expect(withdrawal.parsed.text).toContain('撤回了您此前收到的：星海湾道路工程招标公告');
    expect(mailsTo(email)).toHaveLength(before + 2);
  });

  it('sends daily digests at the configured hour, China time, once a day', async () => {
    const email = 'digest@bidder.example.cn';
    await subscribe(email, { category: 'construction', q: '桥梁' }, 'daily');
    const before = mailsTo(email).length;
    const start = clock.now();
    clock.set(new Date('2026-11-25T23:00:00Z')); // 07:00 on the 26th in China
    await tender('大连湾桥梁工程招标公告');
    await tender('金州桥梁维修工程招标公告');
    await runAlerts();
    expect(mailsTo(email).length).toBe(before);
    clock.set(new Date('2026-11-26T00:05:00Z')); // 08:05
    await runAlerts();
    expect(mailsTo(email).length).toBe(before + 1);
    const digest = mailsTo(email)[before];
    expect(digest.parsed.subject).toBe('【每日汇总】工程建设招投标 · “桥梁”：2 条新公告');
    await tender('旅顺桥梁工程招标公告');
    await runAlerts();
    expect(mailsTo(email).length).toBe(before + 1);
    clock.set(new Date('2026-11-27T00:01:00Z'));
    await runAlerts();
    expect(mailsTo(email).length).toBe(before + 2);
    clock.set(start);
  });

  it('unsubscribes by List-Unsubscribe-Post (RFC 8058) and by the link, deleting the address', async () => {
    const email = 'oneclick@bidder.example.cn';
    await subscribe(email, { category: 'construction' });
    await tender('一键退订测试道路工程招标公告');
    await runAlerts();
    const mail = mailsTo(email).at(-1)!;
    const target = /^<(.+)>$/.exec(mail.header('list-unsubscribe')!)![1];
    const res = await t.http().post(path(target)).type('form').send('List-Unsubscribe=One-Click').expect(200);
    expect(res.text).toContain('已退订');
    expect(await t.db.manager.countBy(Alert, { email })).toBe(0);
    await t
      .http()
      .get(path(linkIn(mail, `${base}/alerts/`).replace(/\/unsubscribe$/, '')))
      .expect(404);

    const email2 = 'bylink@bidder.example.cn';
    await subscribe(email2, { category: 'construction' });
    await tender('链接退订测试道路工程招标公告');
    await runAlerts();
    const mail2 = mailsTo(email2).at(-1)!;
    const link = (mail2.parsed.text ?? '').match(/退订：(\S+)/)![1];
    const page = await t.http().get(path(link)).expect(200);
    expect(page.text).toContain('退订并删除我的地址');
    await t.http().post(path(link)).expect(200);
    expect(await t.db.manager.countBy(Alert, { email: email2 })).toBe(0);
    await tender('退订后发布的道路工程招标公告');
    await runAlerts();
    expect(mailsTo(email).length + mailsTo(email2).length).toBe(4);
  });

  it('manages an alert: frequency, pause and resume, delete; the feed token cannot manage', async () => {
    const email = 'manage@bidder.example.cn';
    const { manage, feed } = await subscribe(email, { category: 'port' });
    const page = await t.http().get(`/alerts/${manage}`).expect(200);
    expect(page.text).toContain('交易类别：港口水运工程');
    expect(page.text).not.toContain(email);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    await t.http().post(`/alerts/${manage}`).type('form').send({ action: 'frequency', frequency: 'daily' }).expect(303);
    expect((await t.db.manager.findOneByOrFail(Alert, { email })).frequency).toBe('daily');
    await t.http().post(`/alerts/${manage}`).type('form').send({ action: 'pause' }).expect(303);
    expect((await t.db.manager.findOneByOrFail(Alert, { email })).status).toBe('paused');
    await t.http().post(`/alerts/${manage}`).type('form').send({ action: 'resume' }).expect(303);
    expect((await t.db.manager.findOneByOrFail(Alert, { email })).status).toBe('active');
    await t.http().get(`/alerts/${feed}`).expect(404);
    await t.http().post(`/alerts/${feed}`).type('form').send({ action: 'delete' }).expect(404);
    await t.http().post(`/alerts/${manage}`).type('form').send({ action: 'delete' }).expect(200);
    expect(await t.db.manager.countBy(Alert, { email })).toBe(0);
    await t.http().get(`/alerts/${feed}/feed.rss`).expect(404);
  });

  it('serves the private feed by its token, parsed by a feed reader, never cached', async () => {
    const { feed } = await subscribe('feedreader@bidder.example.cn', { category: 'construction', q: '隧道' });
    const n = await tender('东港隧道工程招标公告 <b>&</b>');
    await runAlerts();
    const rss = await t.http().get(`/alerts/${feed}/feed.rss`).expect(200);
    expect(rss.headers['content-type']).toBe('application/rss+xml; charset=utf-8');
    expect(rss.headers['cache-control']).toBe('no-store');
    expect(rss.headers['referrer-policy']).toBe('no-referrer');
    expect(XMLValidator.validate(rss.text)).toBe(true);
    const parsed = await new Parser().parseString(rss.text);
    expect(parsed.title).toContain('我的订阅');
    expect(parsed.items.map((i) => i.link)).toEqual([`${base}/notices/${n.id}`]);
    // RSS titles are HTML to readers (escaped once more, as the public feeds do); Atom's are plain text.
    expect(parsed.items[0].title).toBe('【招标公告】东港隧道工程招标公告 &lt;b&gt;&amp;&lt;/b&gt;');
    const atom = await t.http().get(`/alerts/${feed}/feed.atom`).expect(200);
    const parsedAtom = await new Parser().parseString(atom.text);
    expect(parsedAtom.items.map((i) => i.link)).toEqual([`${base}/notices/${n.id}`]);
    expect(parsedAtom.items[0].title).toBe('【招标公告】东港隧道工程招标公告 <b>&</b>');
  });

  it('refuses bad addresses, bad filters and forged tokens with a 4xx, writing nothing', async () => {
    const counts = async () =>
      Promise.all([Alert, AlertToken, AlertMail, AlertDelivery].map((e) => t.db.manager.count(e)));
    const before = await counts();
    for (const email of ['not-an-address', 'a@b', 'x@y.cn\r\nBcc: z@w.cn', `${'a'.repeat(250)}@b.cn`]) {
      const res = await t.http().post('/alerts').type('form').send({ category: 'construction', email });
      expect(res.status).toBe(400);
      expect(res.text).toContain('电子邮件地址');
    }
    await t.http().post('/alerts').type('form').send({ category: 'nope', email: 'ok@bidder.example.cn' }).expect(400);
    await t
      .http()
      .post('/alerts')
      .type('form')
      .send({ email: 'ok@bidder.example.cn', frequency: 'hourly' })
      .expect(400);
    await t.http().post('/alerts').type('form').send({ email: 'ok@bidder.example.cn', extra: '1' }).expect(400);
    await t.http().get('/alerts?category=nope').expect(400);
    for (const token of [FORGED, 'short', 'x'.repeat(200)]) {
      await t.http().get(`/alerts/${token}`).expect(404);
      await t.http().get(`/alerts/confirm/${token}`).expect(404);
      await t.http().post(`/alerts/confirm/${token}`).expect(404);
      await t.http().post(`/alerts/${token}`).type('form').send({ action: 'delete' }).expect(404);
      await t.http().post(`/alerts/${token}/unsubscribe`).type('form').send('List-Unsubscribe=One-Click').expect(404);
      await t.http().get(`/alerts/${token}/feed.rss`).expect(404);
      await t.http().get(`/alerts/${token}/feed.atom`).expect(404);
    }
    expect(await counts()).toEqual(before);
  });

  it('limits alerts per address; an expired confirmation link is refused and the sign-up deleted', async () => {
    const email = 'limits@bidder.example.cn';
    for (let i = 0; i < 3; i++) await t.http().post('/alerts').type('form').send({ type: 'tender', email }).expect(202);
    const over = await t.http().post('/alerts').type('form').send({ type: 'tender', email });
    expect(over.status).toBe(409);
    expect(over.text).toContain('已达上限');
    await runAlerts();
    const link = linkIn(mailsTo(email)[0], `${base}/alerts/confirm/`);
    const start = clock.now();
    clock.advance(49 * 3600_000);
    await t.http().get(path(link)).expect(410);
    await t.http().post(path(link)).expect(410);
    await runAlerts();
    expect(await t.db.manager.countBy(Alert, { email })).toBe(0);
    clock.set(start);
  });

  it('a crash after the server accepted a mail repeats that one mail with the same Message-ID, never more', async () => {
    const email = 'accepted@bidder.example.cn';
    await subscribe(email, { category: 'highway' });
    const before = mailsTo(email).length;
    const projectId = await pub.project(constructionProject({ category: 'highway' }));
    await pub.publish({ ...tenderNotice(projectId), title: '沈海高速大连段养护工程招标公告' });
    const alert = await t.db.manager.findOneByOrFail(Alert, { email });
    const mailer = t.app.get(AlertMailer);
    const markSent = mailer.markSent.bind(mailer);
    // The process dies once, right after the server accepted this alert's mail and before it was recorded.
    let killed = false;
    mailer.markSent = async (mail) => {
      if (mail.alertId !== alert.id || killed) return markSent(mail);
      killed = true;
      throw new Error('killed after the SMTP server accepted the mail');
    };
    await runAlerts().catch(() => undefined);
    expect(killed).toBe(true);
    mailer.markSent = markSent;
    await runAlerts();
    await runAlerts();
    const mails = mailsTo(email).slice(before);
    expect(mails).toHaveLength(2);
    expect(mails[0].parsed.messageId).toBe(mails[1].parsed.messageId);
  });

  it('parks a mail the server refuses for good (5xx) and pauses the alert after repeated refusals', async () => {
    const email = 'bounces@bidder.example.cn';
    await subscribe(email, { category: 'municipal' });
    smtp.refuse.add(email);
    for (const title of ['园林绿化工程招标公告一', '园林绿化工程招标公告二']) {
      const projectId = await pub.project(constructionProject({ category: 'municipal' }));
      await pub.publish({ ...tenderNotice(projectId), title });
      await runAlerts();
    }
    const alert = await t.db.manager.findOneByOrFail(Alert, { email });
    expect(alert.status).toBe('paused');
    const parked = await t.db.manager.findBy(AlertMail, { alertId: alert.id, status: 'parked' });
    expect(parked).toHaveLength(2);
    expect(parked[0].lastError).toContain('550');
    expect(parked[0].lastError).not.toContain(email);
    expect(parked[0].linkToken).toBeNull();
    smtp.refuse.delete(email);
  });

  it('retries a temporary refusal (4xx) with backoff and delivers once the server takes it', async () => {
    const email = 'busy@bidder.example.cn';
    smtp.busy = true;
    await t.http().post('/alerts').type('form').send({ category: 'medical', email }).expect(202);
    await runAlerts();
    const mail = await t.db.manager.findOneByOrFail(AlertMail, { kind: 'confirm', status: 'queued', attempts: 1 });
    expect(mail.lastError).toContain('451');
    expect(mail.nextAttemptAt.getTime()).toBeGreaterThan(clock.now().getTime());
    smtp.busy = false;
    await runAlerts();
    expect(mailsTo(email)).toHaveLength(0);
    clock.advance(3600_000);
    await runAlerts();
    expect(mailsTo(email)).toHaveLength(1);
    clock.advance(-3600_000);
  });

  it('shows staff counts, never addresses; an administrator may open them, and that is audited', async () => {
    const { createStaff, signIn } = await import('./support/staff.js');
    await t.http().post('/alerts').type('form').send({ email: 'listed@bidder.example.cn' }).expect(202);
    const c = await createStaff(t, 'clerk');
    const clerk = await signIn(t, c.username, c.password);
    const res = await clerk.get('/admin/alerts').expect(200);
    expect(res.text).toContain('订阅提醒统计');
    expect(res.text).not.toMatch(/@bidder\.example\.cn/);
    expect(res.text).not.toContain('/admin/alerts/addresses');
    await clerk.post('/admin/alerts/addresses').expect(403);
    const a = await createStaff(t, 'admin');
    const admin = await signIn(t, a.username, a.password);
    expect((await admin.get('/admin/alerts').expect(200)).text).toContain('/admin/alerts/addresses');
    const list = await admin.post('/admin/alerts/addresses').type('form').send({}).expect(200);
    expect(list.text).toContain('listed@bidder.example.cn');
    expect(list.headers['cache-control']).toBe('no-store');
    const audit = await admin.get('/api/admin/audit?action=alert.addresses-viewed').expect(200);
    const items = (audit.body.items ?? audit.body.data?.items) as { action: string; after: unknown }[];
    expect(items.map((i) => i.action)).toEqual(['alert.addresses-viewed']);
    expect(items[0].after).toEqual({ shown: expect.any(Number) });
    const entries = JSON.stringify(audit.body);
    expect(entries).not.toContain('@bidder.example.cn');
  });

  it('a crash between queuing and sending loses nothing and sends nothing twice', async () => {
    const email = 'crash@bidder.example.cn';
    await subscribe(email, { category: 'water' });
    const before = mailsTo(email).length;
    const projectId = await pub.project(constructionProject({ category: 'water' }));
    await pub.publish({ ...tenderNotice(projectId), title: '水库除险加固工程招标公告' });
    // Matched and batched, then the process dies before sending.
    await t.app.get(AlertMatcher).run();
    await t.app.get(AlertMailer).compose();
    const alert = await t.db.manager.findOneByOrFail(Alert, { email });
    expect(await t.db.manager.countBy(AlertMail, { alertId: alert.id, status: 'queued' })).toBe(1);
    // Restarted as an operator would, with the same settings (staff clients of the old process are not used after).
    t = await restartTestApp(t, { env: { ...env, SESSION_TTL_MINUTES: '43200', RATE_LIMIT_API: '100000' } });
    await runAlerts();
    await runAlerts();
    expect(mailsTo(email).length).toBe(before + 1);
  });
});

describe('alerts: an unreachable SMTP server, no SMTP server at all, DKIM', () => {
  it('signs alert mail with DKIM when configured', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const sink = await startSmtpSink();
    const { t } = await startOpenDataApp({
      SMTP_URL: sink.url,
      DKIM_DOMAIN: 'ggzy.example.cn',
      DKIM_SELECTOR: 'alerts2026',
      DKIM_PRIVATE_KEY: Buffer.from(privateKey.export({ type: 'pkcs8', format: 'pem' })).toString('base64'),
    });
    try {
      await t.http().post('/alerts').type('form').send({ email: 'dkim@bidder.example.cn' }).expect(202);
      await t.app.get(JobRunner).runOnce(ALERTS_JOB);
      expect(sink.mails).toHaveLength(1);
      const signature = sink.mails[0].header('dkim-signature')!;
      expect(signature).toContain('d=ggzy.example.cn');
      expect(signature).toContain('s=alerts2026');
    } finally {
      await t.close();
      await sink.close();
    }
  });

  it('keeps the mail queued with backoff while the server cannot be reached, then parks it', async () => {
    const { t, clock } = await startOpenDataApp({
      SMTP_URL: 'smtp://127.0.0.1:9',
      ALERT_MAIL_MAX_ATTEMPTS: '2',
      SMTP_TIMEOUT_MS: '1000',
    });
    try {
      await t.http().post('/alerts').type('form').send({ email: 'nobody@bidder.example.cn' }).expect(202);
      await t.app.get(JobRunner).runOnce(ALERTS_JOB);
      let mail = await t.db.manager.findOneByOrFail(AlertMail, {});
      expect(mail.status).toBe('queued');
      expect(mail.attempts).toBe(1);
      expect(mail.lastError).toMatch(/ECONNECTION|ECONNREFUSED/);
      clock.advance(3600_000);
      await t.app.get(JobRunner).runOnce(ALERTS_JOB);
      mail = await t.db.manager.findOneByOrFail(AlertMail, {});
      expect(mail.status).toBe('parked');
    } finally {
      await t.close();
    }
  });

  it('says e-mail is off and offers a private feed that works; sign-ups per client address are limited', async () => {
    const { t, pub } = await startOpenDataApp({ ALERT_SIGNUPS_PER_IP_PER_HOUR: '2' });
    try {
      const form = await t.http().get('/alerts?category=construction').expect(200);
      expect(form.text).toContain('未开通邮件提醒');
      expect(form.text).not.toContain('name="email"');
      const res = await t.http().post('/alerts').type('form').send({ category: 'construction' }).expect(201);
      const feed = /\/alerts\/([A-Za-z0-9_-]{43})\/feed\.atom/.exec(res.text)![1];
      const projectId = await pub.project(constructionProject());
      const n = await pub.publish({ ...tenderNotice(projectId), title: '无邮件时的订阅源测试招标公告' });
      await t.app.get(JobRunner).runOnce(ALERTS_JOB);
      const atom = await t.http().get(`/alerts/${feed}/feed.atom`).expect(200);
      const parsed = await new Parser().parseString(atom.text);
      expect(parsed.items.map((i) => i.link)).toEqual([`${t.config.publicBaseUrl}/notices/${n.id}`]);
      await t.http().post('/alerts').type('form').send({ type: 'tender' }).expect(201);
      const limited = await t.http().post('/alerts').type('form').send({ type: 'result' });
      expect(limited.status).toBe(429);
      expect(await t.db.manager.count(Alert)).toBe(2);
      // Deleting one's alerts makes no room: the limit counts sign-ups, not the alerts that remain.
      const manage = /\/alerts\/([A-Za-z0-9_-]{43})"/.exec(res.text)![1];
      await t.http().post(`/alerts/${manage}`).type('form').send({ action: 'delete' }).expect(200);
      expect(await t.db.manager.count(Alert)).toBe(1);
      expect((await t.http().post('/alerts').type('form').send({ type: 'result' })).status).toBe(429);
    } finally {
      await t.close();
    }
  });
});

export type { ReceivedMail };
