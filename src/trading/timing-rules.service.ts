import { Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { notFound } from '../http/app-error.js';
import { bumpSettingsVersion } from './settings-version.js';
import { Clock } from '../common/clock.js';
import { Database } from '../database/database.js';
import { DEFAULT_TIMING_RULES, TimingRule } from '../domain/timing-rules.js';
import { TimingRuleRow } from './timing-rule.entity.js';

/** The timing-rule table: defaults inserted once per rule code, then edited by administrators. */
@Injectable()
export class TimingRulesService implements OnApplicationBootstrap {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  async onApplicationBootstrap() {
    const existing = new Set(
      (await this.db.manager.find(TimingRuleRow, { select: { code: true } })).map((r) => r.code),
    );
    const missing = DEFAULT_TIMING_RULES.filter((r) => !existing.has(r.code));
    if (missing.length) {
      await this.db.transaction(async (em) => {
        // Instances starting together may both find a rule missing: the later insert leaves the earlier's row.
        await em
          .createQueryBuilder()
          .insert()
          .into(TimingRuleRow)
          .values(missing.map((r) => ({ ...r, updatedAt: this.clock.now() })))
          .orIgnore()
          .execute();
        await bumpSettingsVersion(this.db, em);
      });
    }
  }

  async all(em: EntityManager = this.db.manager): Promise<TimingRule[]> {
    const rows = await em.find(TimingRuleRow, { order: { code: 'ASC' } });
    return rows.map(toRule);
  }

  async find(em: EntityManager, code: string): Promise<TimingRuleRow | null> {
    return em.findOneBy(TimingRuleRow, { code });
  }

  /** An administrator's change to a rule (already validated), audited with before and after. */
  async update(
    actor: Actor,
    code: string,
    changes: Partial<Pick<TimingRuleRow, 'amount' | 'unit' | 'comparison' | 'enabled' | 'label' | 'basis'>>,
  ): Promise<TimingRuleRow> {
    return this.db.transaction(async (em) => {
      const row = await this.find(em, code);
      if (!row) throw notFound('时限规则');
      const before = { ...row };
      // A request class declares every field it may carry: the ones not sent are there, undefined, and must not erase the rule's.
      const given = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      Object.assign(row, given, { updatedAt: this.clock.now() });
      await em.save(row);
      await bumpSettingsVersion(this.db, em);
      await this.audit.record(em, actor, 'timing-rule.update', 'timing-rule', code, before, row);
      return row;
    });
  }
}

export function toRule(r: TimingRuleRow): TimingRule {
  const { updatedAt: _updatedAt, ...rule } = r;
  return rule;
}
