import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { AppError, notFound, validationFailed } from '../http/app-error.js';
import { categoryBySlug } from '../domain/catalog.js';
import { DomainError } from '../domain/errors.js';
import { parseAmount } from '../domain/money.js';
import { prefixedId } from '../trading/ids.js';
import { ProjectLot } from '../trading/project-lot.entity.js';
import { ProjectParty } from '../trading/project-party.entity.js';
import { Project } from '../trading/project.entity.js';
import type { CreateProjectDto } from './dto.js';
import { zeroAmount } from './notice-validation.js';

/** Projects are registered by staff (or the e-trading system) before their first notice is drafted. */
@Injectable()
export class ProjectsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, dto: CreateProjectDto): Promise<Project> {
    const valid = this.validate(dto);
    const source = { id: prefixedId(this.config.platformCode, dto.dealCode), platform: this.config.platformCode };
    return this.db.transaction((em) => this.insert(em, actor, dto, valid, source));
  }

  /**
   * Sync only: registers a project received from another platform, in the caller's transaction, under the id
   * and platform code its source gave it. Validated exactly like a project entered here.
   */
  async importInto(
    em: EntityManager,
    actor: Actor,
    dto: CreateProjectDto,
    source: { id: string; platform: string },
  ): Promise<Project> {
    return this.insert(em, actor, dto, this.validate(dto), source);
  }

  private validate(dto: CreateProjectDto) {
    const family = categoryBySlug(dto.category)!.family;
    const errors: { field: string; message: string }[] = [];
    const fen = (value: string, unit: '元' | '万元', field: string) => {
      try {
        return parseAmount(value, unit);
      } catch (e) {
        errors.push({ field, message: e instanceof DomainError ? e.message : '金额不正确' });
        return null;
      }
    };
    const priceFen = dto.price ? fen(dto.price.value, dto.price.unit, 'price.value') : null;
    if (priceFen === 0n) errors.push(zeroAmount('price.value', dto.price?.kind === 'reserve' ? '底价' : '预算'));
    if (dto.price && (dto.price.kind === 'reserve') !== (family === 'transfer')) {
      errors.push({
        field: 'price.kind',
        message: family === 'transfer' ? '出让/转让项目应填写底价（reserve）' : '招标、采购项目应填写预算（budget）',
      });
    }
    if (family === 'procurement' && !dto.procurementMethod)
      errors.push({ field: 'procurementMethod', message: '政府采购项目必须填写采购方式' });
    if (family !== 'procurement' && dto.procurementMethod)
      errors.push({ field: 'procurementMethod', message: '只有采购项目有采购方式' });
    if (family !== 'transfer' && dto.transferMode)
      errors.push({ field: 'transferMode', message: '只有出让/转让项目有交易方式' });
    const ownerRole = { construction: 'tenderer', procurement: 'purchaser', transfer: 'transferor' }[family];
    if (!dto.parties.some((p) => p.role === ownerRole)) {
      errors.push({
        field: 'parties',
        message: `至少需要一个${{ tenderer: '招标人', purchaser: '采购人', transferor: '出让方/转让方' }[ownerRole]}`,
      });
    }
    const lotCodes = (dto.lots ?? []).map((l) => l.code);
    if (new Set(lotCodes).size !== lotCodes.length) errors.push({ field: 'lots', message: '标段（包）编号不能重复' });
    const lots = (dto.lots ?? []).map((l, i) => ({
      code: l.code,
      name: l.name,
      priceFen: l.budget ? fen(l.budget.value, l.budget.unit, `lots[${i}].budget.value`) : null,
      priceUnit: l.budget?.unit ?? dto.price?.unit ?? '元',
    }));
    lots.forEach((l, i) => l.priceFen === 0n && errors.push(zeroAmount(`lots[${i}].budget.value`, '标段（包）预算')));
    if (errors.length) throw validationFailed(errors);
    return { priceFen, lots };
  }

  private async insert(
    em: EntityManager,
    actor: Actor,
    dto: CreateProjectDto,
    { priceFen, lots }: ReturnType<ProjectsService['validate']>,
    source: { id: string; platform: string },
  ): Promise<Project> {
    const id = source.id;
    if (await em.findOneBy(Project, { dealCode: dto.dealCode })) {
      throw new AppError('conflict.deal-code', `统一交易标识码 ${dto.dealCode} 已被使用`, [
        { field: 'dealCode', message: '已被使用' },
      ]);
    }
    const now = this.clock.now();
    const project = em.create(Project, {
      id,
      dealCode: dto.dealCode,
      tenderCode: dto.tenderCode,
      investmentCode: dto.investmentCode ?? null,
      category: dto.category,
      regionCode: dto.regionCode,
      name: dto.name.trim(),
      summary: dto.summary ?? null,
      priceKind: dto.price?.kind ?? 'none',
      priceFen,
      priceUnit: dto.price?.unit ?? '元',
      procurementMethod: dto.procurementMethod ?? null,
      transferMode: dto.transferMode ?? null,
      fundingSource: dto.fundingSource ?? null,
      fullyOnline: dto.fullyOnline ?? true,
      sourcePlatform: source.platform,
      createdBy: actor.userId || null,
      createdAt: now,
      updatedAt: now,
      bidDeadline: null,
      openingTime: null,
      firstPublishedAt: null,
      terminatedAt: null,
      version: 1,
    });
    await em.insert(Project, project);
    if (dto.parties.length) {
      await em.insert(
        ProjectParty,
        dto.parties.map((p) => ({
          projectId: id,
          role: p.role,
          name: p.name,
          creditCode: p.creditCode,
          address: p.address ?? null,
          contactName: p.contactName ?? null,
          contactPhone: p.contactPhone ?? null,
        })),
      );
    }
    if (lots.length)
      await em.insert(
        ProjectLot,
        lots.map((l) => ({ ...l, projectId: id })),
      );
    const saved = await em.findOneOrFail(Project, { where: { id }, relations: { parties: true, lots: true } });
    await this.audit.record(
      em,
      actor,
      source.platform === this.config.platformCode ? 'project.create' : 'project.import',
      'project',
      id,
      null,
      saved,
    );
    return saved;
  }

  async get(id: string): Promise<Project> {
    const project = await this.db.manager.findOne(Project, { where: { id }, relations: { parties: true, lots: true } });
    if (!project) throw notFound('项目');
    return project;
  }
}
