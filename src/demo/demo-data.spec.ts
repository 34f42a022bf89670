import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../config/project-root.js';
import { validatePlain } from '../http/validation.js';
import { CreateProjectDto } from '../publishing/dto.js';
import { validateDetails } from '../publishing/notice-validation.js';
import { CATEGORIES, isNoticeTypeAllowed, NOTICE_TYPES } from '../domain/catalog.js';
import { chinaDate } from '../domain/china-time.js';
import { isValidCreditCode } from '../domain/credit-code.js';
import { DEFAULT_TIMING_RULES } from '../domain/timing-rules.js';
import { parseHolidayCsv, WorkingDayCalendar } from '../domain/working-days.js';
import { generateDemoData, publicationOrder } from './demo-data.js';
import { timingViolations } from './lawful-timing.js';

function officialCalendar(): WorkingDayCalendar {
  const rows = parseHolidayCsv(readFileSync(join(projectRoot(), 'reference', 'cn-holidays.csv'), 'utf8'));
  return new WorkingDayCalendar(rows, [...new Set(rows.map((r) => Number(r.date.slice(0, 4))))]);
}

const calendar = officialCalendar();
const NOW = new Date('2026-11-25T02:00:00Z');

describe('demo data', () => {
  const projects = generateDemoData(NOW, calendar);
  const notices = projects.flatMap((p) => p.notices);

  it('is the same on every run', () => {
    expect(JSON.stringify(generateDemoData(NOW, calendar))).toBe(JSON.stringify(projects));
  });

  it('covers all ten categories and every notice type with a few hundred notices', () => {
    expect(projects.length).toBeGreaterThanOrEqual(70);
    expect(projects.length).toBeLessThanOrEqual(90);
    expect(notices.length).toBeGreaterThanOrEqual(300);
    expect(notices.length).toBeLessThanOrEqual(400);
    expect(new Set(projects.map((p) => p.dto.category))).toEqual(new Set(CATEGORIES.map((c) => c.slug)));
    expect(new Set(notices.map((n) => n.type))).toEqual(new Set(NOTICE_TYPES.map((t) => t.slug)));
    expect(new Set(projects.map((p) => p.dto.dealCode)).size).toBe(projects.length);
    expect(new Set(projects.map((p) => p.dto.name)).size).toBe(projects.length);
  });

  it('publishes nothing before today and gives every project at least one notice', () => {
    const today = chinaDate(NOW);
    for (const p of projects) {
      expect(p.notices.length).toBeGreaterThan(0);
      for (const n of p.notices) expect(chinaDate(n.publishedAt) < today).toBe(true);
    }
  });

  it('names only parties with valid credit codes', () => {
    const codes = JSON.stringify(projects)
      .match(/"creditCode":"[^"]*"/g)!
      .map((m) => m.slice(14, -1));
    expect(codes.length).toBeGreaterThan(500);
    expect(codes.filter((c) => !isValidCreditCode(c))).toEqual([]);
  });

  it('passes the same validation as a form: projects and every notice type', async () => {
    for (const p of projects) {
      const { errors } = await validatePlain(CreateProjectDto, p.dto, '');
      expect({ project: p.dto.name, errors }).toEqual({ project: p.dto.name, errors: [] });
      for (const n of p.notices) {
        expect(isNoticeTypeAllowed(n.type, p.dto.category)).toBe(true);
        await expect(
          validateDetails(n.type, n.details).then(
            () => null,
            (e) => ({ title: n.title, fields: e.fields }),
          ),
        ).resolves.toBeNull();
      }
    }
  });

  it('names the evaluation method on most announcements and records a few rejected bids, each opened and not chosen', () => {
    const announcements = notices.filter((n) => n.type === 'tender' || n.type === 'procurement');
    const named = announcements.filter((n) => n.details.evaluationMethod);
    expect(named.length / announcements.length).toBeGreaterThan(0.75);
    expect(named.length).toBeLessThan(announcements.length);
    const evaluations = notices.filter((n) => n.type === 'candidates' || n.type === 'result');
    expect(evaluations.some((n) => n.details.rejectedBids === undefined)).toBe(true);
    expect(evaluations.some((n) => (n.details.rejectedBids as unknown[] | undefined)?.length === 0)).toBe(true);
    let rejections = 0;
    for (const p of projects)
      for (const n of p.notices.filter((x) => (x.details.rejectedBids as unknown[] | undefined)?.length)) {
        const lot = n.details.lotCode;
        const opening = p.notices.find((x) => x.type === 'bid-opening' && x.details.lotCode === lot)!;
        const opened = (opening.details.bids as { creditCode: string }[]).map((b) => b.creditCode);
        const chosen = ((n.details.candidates ?? n.details.winners) as { creditCode: string }[]).map(
          (c) => c.creditCode,
        );
        for (const r of n.details.rejectedBids as { creditCode: string; reason: string }[]) {
          rejections++;
          expect(opened).toContain(r.creditCode);
          expect(chosen).not.toContain(r.creditCode);
        }
      }
    expect(rejections).toBeGreaterThanOrEqual(5);
    expect(rejections).toBeLessThanOrEqual(20);
  });

  it.each([
    ['a Wednesday morning', '2026-11-25T02:00:00Z'],
    ['a Sunday night', '2026-11-29T15:30:00Z'],
    ['the eve of the Spring Festival', '2026-02-14T01:00:00Z'],
    ['the day after National Day', '2026-10-08T01:00:00Z'],
  ])('keeps every statutory period on %s', (_, at) => {
    const data = generateDemoData(new Date(at), calendar);
    const order = publicationOrder(data).map(({ project, notice }) => ({
      projectId: data[project].dto.dealCode,
      category: data[project].dto.category,
      procurementMethod: data[project].dto.procurementMethod,
      type: notice.type,
      details: notice.details,
      publishedAt: notice.publishedAt,
    }));
    expect(
      timingViolations(order, DEFAULT_TIMING_RULES, calendar).map(
        (v) => `${v.notice.type} ${v.notice.publishedAt.toISOString()}: ${v.violations[0].message}`,
      ),
    ).toEqual([]);
  });
});
