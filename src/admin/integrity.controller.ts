import { Body, Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { CurrentActor, Roles } from '../auth/decorators.js';
import { Database } from '../database/database.js';
import type { FieldError } from '../http/app-error.js';
import { IntegrityIndex } from '../trading/integrity-index.js';
import { INDICATORS, type Thresholds } from '../trading/integrity-rules.js';
import { field, flashOf, render, seeOther } from './form-input.js';

const DECIMAL = /^\d{1,6}(\.\d{1,6})?$/;

/**
 * The thresholds of the integrity indicators, set by administrators: each change is audited, raises the settings
 * version (cached pages stop being served) and makes the job recompute every flag with the new values.
 */
@Controller()
@Roles('admin')
export class AdminIntegrityController {
  constructor(
    private readonly db: Database,
    private readonly index: IntegrityIndex,
    private readonly audit: AuditService,
  ) {}

  @Get('admin/integrity')
  async page(@Req() req: Request, @Res() res: Response) {
    render(res, 'admin/integrity', {
      title: '红旗指标阈值',
      flash: flashOf(req),
      ...this.model(await this.index.thresholds()),
    });
  }

  @Post('admin/integrity')
  async update(@Res() res: Response, @Body() body: Record<string, unknown>, @CurrentActor() actor: Actor) {
    const before = await this.index.thresholds();
    const after: Thresholds = JSON.parse(JSON.stringify(before)) as Thresholds;
    const errors: FieldError[] = [];
    for (const indicator of INDICATORS) {
      for (const spec of indicator.thresholds) {
        const name = `${indicator.id}.${spec.key}`;
        const raw = field(body, name).trim();
        const value = Number(raw);
        if (!DECIMAL.test(raw) || value < spec.min || value > spec.max)
          errors.push({ field: name, message: `${spec.label}应为 ${spec.min} 到 ${spec.max} 之间的数` });
        else after[indicator.id][spec.key] = value;
      }
    }
    if (errors.length)
      return render(res, 'admin/integrity', { title: '红旗指标阈值', ...this.model(after, errors) }, 400);
    await this.db.transaction(async (em) => {
      await this.index.setThresholds(em, after, actor.userId > 0 ? actor.userId : null);
      await this.audit.record(em, actor, 'integrity.thresholds', 'integrity_threshold', 'all', before, after);
    });
    seeOther(res, '/admin/integrity?done=thresholds-updated');
  }

  private model(values: Thresholds, errors: FieldError[] = []) {
    return {
      indicators: INDICATORS.filter((i) => i.thresholds.length).map((i) => ({
        id: i.id,
        name: i.name,
        definition: i.definition,
        thresholds: i.thresholds.map((t) => ({
          name: `${i.id}.${t.key}`,
          label: t.label,
          value: values[i.id]?.[t.key],
          defaultValue: t.value,
          range: `${t.min}–${t.max}`,
          error: errors.find((e) => e.field === `${i.id}.${t.key}`)?.message,
        })),
      })),
    };
  }
}
