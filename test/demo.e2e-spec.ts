import { createApp } from '../src/app.js';
import { StaffUser } from '../src/auth/staff-user.entity.js';
import { Database } from '../src/database/database.js';
import { DEMO_ACCOUNTS } from '../src/demo/demo-accounts.js';
import { DisclosureService } from '../src/disclosure/disclosure.service.js';
import { AnnualReportRow } from '../src/reports/annual-report.entity.js';
import { ReportsService } from '../src/reports/reports.service.js';
import { DisclosureRequest, DisclosureReview } from '../src/disclosure/disclosure.entities.js';
import { timingViolations } from '../src/demo/lawful-timing.js';
import { OutboxEntry } from '../src/outbox/outbox.entity.js';
import { CalendarService } from '../src/trading/calendar.service.js';
import { CATEGORIES, NOTICE_TYPES } from '../src/domain/catalog.js';
import { addDays, chinaDate, chinaDayEnd, chinaDayStart } from '../src/domain/china-time.js';
import { isValidCreditCode } from '../src/domain/credit-code.js';
import { Notice } from '../src/trading/notice.entity.js';
import { Project } from '../src/trading/project.entity.js';
import { INDICATORS } from '../src/trading/integrity-rules.js';
import { TimingRulesService } from '../src/trading/timing-rules.service.js';
import { PublicationLogEntry } from '../src/transparency/publication-log.entity.js';
import { FixedClock, startTestApp, type TestApp } from './support/test-app.js';

const NOW = new Date('2026-11-25T02:00:00Z'); // 10:00 in Dalian, a Wednesday
const TODAY = chinaDate(NOW);
const UPSTREAMS = '[{"name":"province","url":"http://127.0.0.1:9/","keyId":"k","secret":"s"}]';

async function counts(db: Database) {
  const m = db.manager;
  const [projects, notices, staff, log] = await Promise.all([
    m.count(Project),
    m.count(Notice),
    m.count(StaffUser),
    m.count(PublicationLogEntry),
  ]);
  return { projects, notices, staff, log };
}

describe('demo data (SEED_DEMO=true on an empty database)', () => {
  let t: TestApp;
  let startSeconds: number;
  let projects: Project[];
  let notices: Notice[];

  beforeAll(async () => {
    const started = Date.now();
    // With an upstream configured, so that a demo publication would show in the outbox if it went there.
    t = await startTestApp({ clock: new FixedClock(NOW), env: { SEED_DEMO: 'true', UPSTREAMS } });
    startSeconds = (Date.now() - started) / 1000;
    if (process.env.SHOW_START) console.log(`start ${startSeconds}`);
    projects = await t.db.manager.find(Project, { relations: { parties: true, lots: true } });
    notices = await t.db.manager.find(Notice, { order: { logSeq: 'ASC' } });
  }, 180_000);
  afterAll(() => t?.close());

  // The seeder logs its own time, about 7 s on SQLite and 10 s on MariaDB on an idle machine; on a CI machine
  // 2.5× slower (2026-12-07) the whole start took 24 s on SQLite and 67 s on MariaDB. The bounds leave room for
  // such a machine and still catch a seeder many times slower; a newcomer's `npm start` runs on SQLite, held to a
  // minute.
  it('starts in well under a minute on SQLite, demo data included (two and a half on MariaDB)', () => {
    expect(startSeconds).toBeLessThan(t.db.dialect === 'sqlite' ? 60 : 150);
  });

  it('holds 70–90 projects in all ten categories, with real credit codes', () => {
    expect(projects.length).toBeGreaterThanOrEqual(70);
    expect(projects.length).toBeLessThanOrEqual(90);
    const perCategory = Object.fromEntries(
      CATEGORIES.map((c) => [c.slug, projects.filter((p) => p.category === c.slug).length]),
    );
    for (const c of CATEGORIES) expect({ [c.slug]: perCategory[c.slug] > 0 }).toEqual({ [c.slug]: true });
    expect(projects.flatMap((p) => p.parties).every((party) => isValidCreditCode(party.creditCode))).toBe(true);
    expect(projects.filter((p) => p.lots.length > 1).length).toBeGreaterThanOrEqual(3);
    expect(projects.some((p) => !p.fullyOnline)).toBe(true);
    expect(new Set(projects.filter((p) => p.procurementMethod).map((p) => p.procurementMethod)).size).toBe(6);
  });

  it('has published a few hundred notices of every type, logged in time order', () => {
    expect(notices.length).toBeGreaterThanOrEqual(300);
    expect(notices.every((n) => n.status === 'published' && n.publishedAt! < NOW)).toBe(true);
    expect(new Set(notices.map((n) => n.type))).toEqual(new Set(NOTICE_TYPES.map((n) => n.slug)));
    const times = notices.map((n) => n.publishedAt!.getTime());
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('reads like the real workflow: drafted by a clerk, approved by the reviewer', async () => {
    const users = await t.db.manager.find(StaffUser);
    const id = (name: string) => users.find((u) => u.username === name)!.id;
    expect(new Set(notices.map((n) => n.authorId))).toEqual(new Set([id('clerk'), id('clerk2')]));
    expect(
      notices.every(
        (n) => n.reviewerId === id('reviewer') && n.createdAt < n.publishedAt! && n.submittedAt! < n.publishedAt!,
      ),
    ).toBe(true);
  });

  it('records bid openings with at least three bids but for a single-bid and a two-bid tender, some priced as a down rate', () => {
    const openings = notices.filter((n) => n.type === 'bid-opening');
    expect(openings.length).toBeGreaterThanOrEqual(20);
    const bids = openings.map((n) => n.details.bids as { price: { form: string } }[]);
    // One specialised tender drew a single bid and failed, one was awarded on two (the integrity indicators).
    expect(bids.map((b) => b.length).filter((n) => n < 3)).toEqual(expect.arrayContaining([1, 2]));
    expect(bids.filter((b) => b.length < 3)).toHaveLength(2);
    expect(bids.some((b) => b.some((bid) => bid.price.form === 'down-rate'))).toBe(true);
  });

  it('has open tenders, and bid openings today and on each of the next 7 days', () => {
    const open = projects.filter((p) => p.bidDeadline && p.bidDeadline > NOW && !p.terminatedAt);
    expect(open.length).toBeGreaterThanOrEqual(10);
    for (let day = 0; day <= 7; day++) {
      const date = addDays(TODAY, day);
      const opening = projects.filter(
        (p) => p.openingTime && p.openingTime >= chinaDayStart(date) && p.openingTime <= chinaDayEnd(date),
      );
      expect({ date, openings: opening.length > 0 }).toEqual({ date, openings: true });
    }
  });

  it('shows candidate publicity both still open and ended, with ranked candidates', () => {
    const publicity = notices.filter((n) => n.type === 'candidates');
    const end = (n: Notice) => new Date(n.details.publicityEnd as string);
    expect(publicity.some((n) => end(n) > NOW)).toBe(true);
    expect(publicity.some((n) => end(n) < NOW)).toBe(true);
    // Three ranked candidates, two on the tender awarded on two bids.
    const ranks = publicity.map((n) => (n.details.candidates as { rank: number }[]).map((c) => c.rank));
    expect(ranks.filter((r) => r.length !== 3)).toEqual([[1, 2]]);
    for (const r of ranks) expect(r).toEqual([1, 2, 3].slice(0, r.length));
  });

  it('includes a withdrawal whose target is marked withdrawn, a deadline correction and a termination', () => {
    const withdrawals = notices.filter((n) => n.type === 'withdrawal');
    expect(withdrawals.length).toBeGreaterThanOrEqual(1);
    for (const w of withdrawals) {
      const target = notices.find((n) => n.id === w.targetNoticeId)!;
      expect(target.withdrawnAt?.getTime()).toBe(w.publishedAt!.getTime());
      expect(target.withdrawnBy).toBe(w.id);
      expect((w.details.reason as string).length).toBeGreaterThan(5);
    }
    expect(
      notices.some((n) => n.type === 'correction' && (n.details.changes as Record<string, unknown>).bidDeadline),
    ).toBe(true);
    expect(projects.some((p) => p.terminatedAt)).toBe(true);
  });

  it('raises every integrity indicator a few times, cohort ones included, but short-period', async () => {
    const rows: { indicator: string; n: unknown }[] = await t.db.manager.query(
      'SELECT indicator, COUNT(*) AS n FROM integrity_flag GROUP BY indicator',
    );
    const counts = Object.fromEntries(rows.map((r) => [r.indicator, Number(r.n)]));
    // A bidding period below the statutory minimum cannot be published (the timing rules refuse it), so none.
    const expected = INDICATORS.map((i) => i.id).filter((id) => id !== 'short-period');
    for (const id of expected) expect({ [id]: (counts[id] ?? 0) >= 1 }).toEqual({ [id]: true });
    for (const id of expected) expect({ [id]: counts[id] <= 4 }).toEqual({ [id]: true });
    expect(counts['short-period']).toBeUndefined();
  });

  it('keeps the demo data out of the upstream outbox', async () => {
    expect(t.config.upstreams).toHaveLength(1);
    expect(await t.db.manager.count(OutboxEntry)).toBe(0);
  });

  it('holds requests for disclosure across applicant types, channels, states and outcomes, and two reviews', async () => {
    const requests = await t.db.manager.find(DisclosureRequest);
    expect(requests).toHaveLength(12);
    expect(new Set(requests.map((r) => r.applicantType)).size).toBe(6);
    expect(new Set(requests.map((r) => r.channel))).toEqual(new Set(['online', 'in-person', 'post', 'fax']));
    const statuses = requests.map((r) => r.status);
    for (const s of ['received', 'consulting', 'answered', 'withdrawn']) expect(statuses).toContain(s);
    expect(requests.filter((r) => r.extensionGrantedOn)).toHaveLength(1);
    expect(requests.filter((r) => r.clarifiedOn)).toHaveLength(1);
    expect(new Set(requests.map((r) => r.outcome).filter(Boolean)).size).toBe(6);
    const { overdue, dueSoon } = await t.app.get(DisclosureService).reminders();
    expect(overdue).toHaveLength(1);
    expect(dueSoon.length).toBeGreaterThanOrEqual(1);
    const reviews = await t.db.manager.find(DisclosureReview);
    expect(reviews.map((r) => `${r.kind} ${r.lawsuitRoute ?? ''} ${r.outcome}`).sort()).toEqual([
      'lawsuit after-reconsideration pending',
      'reconsideration  upheld',
    ]);
  });

  it("has last year's yearly report published (frozen, by the reviewer) and this year's as a draft", async () => {
    const rows = await t.db.manager.find(AnnualReportRow, { order: { year: 'ASC' } });
    expect(rows.map((r) => [r.year, r.status])).toEqual([
      [2025, 'published'],
      [2026, 'draft'],
    ]);
    expect(rows[0].contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0].publishedBy).not.toBe(rows[0].submittedBy);
    const page = await t.http().get('/reports/annual/2025').expect(200);
    expect(page.text).toContain('大连市公共资源交易中心2025年政府信息公开工作年度报告');
    expect(page.text).toContain('本门户于2026年1月启用');
    // The trial run of last year's last quarter gives its report trading figures of its own, none of them zero.
    const published = (await t.app.get(ReportsService).published(2025))!.report;
    const figure = (item: string) => Number(published.overview.figures.find((f) => f.item === item)!.current);
    for (const item of ['公开公共资源交易信息', '完成交易项目', '交易金额'])
      expect({ item, positive: figure(item) > 0 }).toEqual({ item, positive: true });
    // Its publication is an entry of the publication log, whose hash the page shows.
    expect(page.text).toContain(rows[0].contentHash);
    expect(page.text).toMatch(/公示日志<\/a>第 \d+ 条/);
    await t.http().get('/reports/annual/2026').expect(404);
    // This year's draft carries last year's figures as entered, so its changes on the year exist.
    const draft = await t.app.get(ReportsService).compute(2026);
    expect(draft.overview.summary).toMatch(
      /^2026年，全年公开公共资源交易信息[\d,]+条，同比增长17\.\d%；完成交易项目[\d,]+个，同比增长/,
    );
    expect(draft.overview.figures.filter((f) => f.entered).map((f) => f.item)).toEqual([
      '公开公共资源交易信息',
      '完成交易项目',
      '交易金额',
      '新收政府信息公开申请',
    ]);
  });

  it('lets every demo account sign in', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const res = await t
        .http()
        .post('/api/admin/session')
        .send({ username: account.username, password: account.password })
        .expect(200);
      expect(res.body.user).toMatchObject({ username: account.username, role: account.role });
    }
  });

  it('would have passed every default timing rule on the official calendar', async () => {
    const rules = await t.app.get(TimingRulesService).all();
    const calendar = await t.app.get(CalendarService).load();
    const byId = new Map(projects.map((p) => [p.id, p]));
    const timed = notices.map((n) => ({
      projectId: n.projectId,
      category: n.category,
      procurementMethod: byId.get(n.projectId)!.procurementMethod,
      type: n.type,
      details: n.details,
      publishedAt: n.publishedAt!,
    }));
    const broken = timingViolations(timed, rules, calendar).map(
      (v) => `${v.notice.type} ${v.notice.publishedAt.toISOString()}: ${v.violations.map((x) => x.message).join('；')}`,
    );
    expect(broken).toEqual([]);
  });

  it('adds nothing when the portal starts again over the same database', async () => {
    const before = await counts(t.db);
    const again = await createApp(t.config, { clock: t.clock });
    try {
      expect(await counts(again.get(Database))).toEqual(before);
    } finally {
      await again.close();
    }
  }, 60_000);
});

describe('demo data with SEED_DEMO=false', () => {
  it('leaves the database empty', async () => {
    const t = await startTestApp({ env: { SEED_DEMO: 'false' } });
    try {
      expect(await counts(t.db)).toEqual({ projects: 0, notices: 0, staff: 0, log: 0 });
    } finally {
      await t.close();
    }
  });
});
