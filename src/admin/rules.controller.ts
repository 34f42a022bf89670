import { Body, Controller, Get, Param, ParseIntPipe, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { Clock } from '../common/clock.js';
import { Database } from '../database/database.js';
import { FieldError, notFound, validationFailed } from '../http/app-error.js';
import { validatePlain } from '../http/validation.js';
import { UpdateTimingRuleDto } from '../publishing/rules.dto.js';
import { CalendarService } from '../trading/calendar.service.js';
import { CATEGORIES, NOTICE_TYPES, PROCUREMENT_METHODS } from '../domain/catalog.js';
import { chinaDate, dayOfWeek, isValidChinaDate } from '../domain/china-time.js';
import { FACT_LABELS } from '../domain/timing-rules.js';
import { TimingRulesService } from '../trading/timing-rules.service.js';
import { field, flashOf, render, seeOther } from './form-input.js';

const YearParam = () =>
  new ParseIntPipe({ exceptionFactory: () => validationFailed([{ field: 'year', message: '年份应为数字' }]) });
const UNITS = { 'calendar-days': '日', 'working-days': '个工作日' } as Record<string, string>;
const KINDS: Record<string, 'holiday' | 'workday'> = {
  holiday: 'holiday',
  放假: 'holiday',
  休: 'holiday',
  workday: 'workday',
  上班: 'workday',
  班: 'workday',
};
const names = (slugs: string[], list: readonly { slug: string; name: string }[], all: string) =>
  slugs.length ? slugs.map((s) => list.find((x) => x.slug === s)?.name ?? s).join('、') : all;

/** The timing-rule table and the working-day calendar, maintained by administrators. */
@Controller()
@Roles('admin')
export class AdminRulesController {
  constructor(
    private readonly db: Database,
    private readonly rules: TimingRulesService,
    private readonly calendar: CalendarService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  @Get('admin/timing-rules')
  async timingRules(@Req() req: Request, @Res() res: Response) {
    render(res, 'admin/timing-rules', { title: '时限规则', flash: flashOf(req), rules: await this.rulesModel() });
  }

  /** Amount, unit and enabled: the same change as PATCH /api/admin/timing-rules/{code}, audited. */
  @Post('admin/timing-rules/:code')
  async updateRule(
    @Res() res: Response,
    @Param('code') code: string,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    const amount = field(body, 'amount').trim();
    const changes = {
      amount: /^\d+$/.test(amount) ? Number(amount) : amount,
      unit: field(body, 'unit'),
      enabled: field(body, 'enabled') === 'true',
    };
    const { errors } = await validatePlain(UpdateTimingRuleDto, changes, '');
    if (errors.length)
      return render(res, 'admin/timing-rules', { title: '时限规则', rules: await this.rulesModel(code, errors) }, 400);
    await this.rules.update(actor, code, changes as Parameters<TimingRulesService['update']>[2]);
    seeOther(res, '/admin/timing-rules?done=rule-updated');
  }

  @Get('admin/calendar')
  async years(@Req() req: Request, @Res() res: Response) {
    const years = await this.calendar.listYears();
    render(res, 'admin/calendar', {
      title: '节假日安排',
      flash: flashOf(req),
      years: years.map((y) => ({
        year: y.year,
        source: y.source,
        loadedAt: y.loadedAt,
        holidays: y.days.filter((d) => d.kind === 'holiday').length,
        workdays: y.days.filter((d) => d.kind === 'workday').length,
      })),
      form: { year: String(Number(chinaDate(this.clock.now()).slice(0, 4)) + 1) },
    });
  }

  /** Loads (or replaces) a year's official arrangement, one day per line: 日期,放假|上班,名称. */
  @Post('admin/calendar')
  async putYear(@Res() res: Response, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    const form = { year: field(body, 'year').trim(), source: field(body, 'source').trim(), days: field(body, 'days') };
    const year = Number(form.year);
    const problems: FieldError[] = [];
    if (!/^\d{4}$/.test(form.year) || year < 2000 || year > 2100)
      problems.push({ field: 'year', message: '年份应在 2000 到 2100 之间' });
    if (form.source.length < 2 || form.source.length > 200)
      problems.push({ field: 'source', message: '请填写放假安排的文件名称和文号（2 到 200 个字符）' });
    const days = problems.length ? [] : parseDays(form.days, year, problems);
    if (problems.length) {
      const years = await this.calendar.listYears();
      return render(res, 'admin/calendar', { title: '节假日安排', years, form, errors: problems }, 400);
    }
    await this.replaceYear(actor, year, form.source, days);
    seeOther(res, `/admin/calendar/${year}?done=calendar-updated`);
  }

  @Get('admin/calendar/:year')
  async year(@Req() req: Request, @Res() res: Response, @Param('year', YearParam()) year: number) {
    const y = await this.findYear(year);
    render(res, 'admin/calendar-year', {
      title: `${year} 年节假日安排`,
      flash: flashOf(req),
      year: y,
      days: y.days.map((d) => ({ ...d, kindName: d.kind === 'holiday' ? '放假' : '调休上班' })),
    });
  }

  /** Marks one day (typically a weekend made a working day, 调休上班) or changes it; the rest of the year stays. */
  @Post('admin/calendar/:year/days')
  async putDay(
    @Res() res: Response,
    @Param('year', YearParam()) year: number,
    @Body() body: Record<string, unknown>,
    @CurrentActor() actor: Actor,
  ) {
    const y = await this.findYear(year);
    const problems: FieldError[] = [];
    const [day] = parseDays(`${field(body, 'date')},${field(body, 'kind')},${field(body, 'name')}`, year, problems);
    if (problems.length) {
      return render(
        res,
        'admin/calendar-year',
        {
          title: `${year} 年节假日安排`,
          year: y,
          days: y.days,
          errors: problems.map((p) => ({ ...p, message: p.message.replace(/^第 1 行：/, '') })),
        },
        400,
      );
    }
    const days = [...y.days.filter((d) => d.date !== day.date), day].sort((a, b) => a.date.localeCompare(b.date));
    await this.replaceYear(actor, year, y.source, days);
    seeOther(res, `/admin/calendar/${year}?done=calendar-updated`);
  }

  @Post('admin/calendar/:year/days/:date/delete')
  async deleteDay(
    @Res() res: Response,
    @Param('year', YearParam()) year: number,
    @Param('date') date: string,
    @CurrentActor() actor: Actor,
  ) {
    const y = await this.findYear(year);
    if (!y.days.some((d) => d.date === date)) throw notFound('该日期的安排');
    await this.replaceYear(
      actor,
      year,
      y.source,
      y.days.filter((d) => d.date !== date),
    );
    seeOther(res, `/admin/calendar/${year}?done=calendar-updated`);
  }

  private async findYear(year: number) {
    const y = (await this.calendar.listYears()).find((x) => x.year === year);
    if (!y) throw notFound(`${year} 年的节假日安排`);
    return y;
  }

  private replaceYear(
    actor: Actor,
    year: number,
    source: string,
    days: { date: string; kind: 'holiday' | 'workday'; name: string }[],
  ) {
    return this.calendar.loadYear(actor, { year, source, days });
  }

  private async rulesModel(failedCode?: string, errors: FieldError[] = []) {
    return (await this.rules.all()).map((r) => ({
      ...r,
      scope: [
        names(
          r.families.length
            ? CATEGORIES.filter(
                (c) => r.families.includes(c.family) && (!r.categories.length || r.categories.includes(c.slug)),
              ).map((c) => c.slug)
            : [],
          CATEGORIES,
          '所有类别',
        ),
        names(r.noticeTypes, NOTICE_TYPES, '所有公告'),
        r.methods.length ? names(r.methods, PROCUREMENT_METHODS, '') : null,
      ]
        .filter(Boolean)
        .join('；'),
      period: `${FACT_LABELS[r.from] ?? r.from} → ${FACT_LABELS[r.to] ?? r.to}：${r.comparison === 'at-least' ? '不少于' : '不超过'}`,
      units: Object.entries(UNITS).map(([value, label]) => ({ value, label, selected: value === r.unit })),
      errors: r.code === failedCode ? errors : [],
    }));
  }
}

/** Lines "日期,放假|上班|holiday|workday,名称" into calendar days; problems name the line. */
function parseDays(text: string, year: number, problems: FieldError[]) {
  const days: { date: string; kind: 'holiday' | 'workday'; name: string }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!line.trim()) return;
    const [date = '', kindText = '', ...rest] = line.split(/[,，\t]/).map((s) => s.trim());
    const name = rest.join(' ').trim();
    const kind = KINDS[kindText];
    const problem = !isValidChinaDate(date)
      ? `日期“${date}”不是有效的 YYYY-MM-DD 日期`
      : !date.startsWith(`${year}-`)
        ? `日期 ${date} 不在 ${year} 年内`
        : !kind
          ? `类型“${kindText}”应为“放假”或“上班”`
          : !name || name.length > 100
            ? '请填写名称（如“春节”“春节调休上班”），不超过 100 个字符'
            : kind === 'workday' && dayOfWeek(date) !== 0 && dayOfWeek(date) !== 6
              ? `调休上班日 ${date} 不是周末`
              : days.some((d) => d.date === date)
                ? `日期 ${date} 重复`
                : null;
    if (problem) problems.push({ field: 'days', message: `第 ${i + 1} 行：${problem}` });
    else days.push({ date, kind, name });
  });
  return days;
}
