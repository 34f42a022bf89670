import { Inject, Injectable, OnApplicationBootstrap } from '@nestjs/common';
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { In, LessThan, MoreThan, type EntityManager } from 'typeorm';
import { cleanFileName, detectFileType } from '../attachments/file-types.js';
import { AuditService, type AuditActor } from '../audit/audit.service.js';
import type { Actor } from '../auth/actor.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { forUpdate, dialectOf } from '../database/dialect.js';
import { addDays, chinaDate, isValidChinaDate } from '../domain/china-time.js';
import { DomainError } from '../domain/errors.js';
import type { WorkingDayCalendar } from '../domain/working-days.js';
import {
  clarificationRefusal,
  DEFAULT_DISCLOSURE_RULES,
  extensionRefusal,
  readClock,
  receiptDate,
  rulesByCode,
  type ClockFacts,
  type ClockPause,
  type ClockReading,
  type DisclosureRule,
  type DisclosureRules,
} from '../domain/disclosure-clock.js';
import {
  formatTrackingNo,
  isOutcome,
  REVIEW_KINDS,
  REVIEW_OUTCOMES,
  LAWSUIT_ROUTES,
  TRACKING_NO,
  type OutcomeGroup,
} from '../domain/disclosure.js';
import { AppError, notFound, validationFailed, type FieldError } from '../http/app-error.js';
import { CalendarService } from '../trading/calendar.service.js';
import { parseApplication, parseRegistration, type Application, type PersonalData } from './application-input.js';
import { DisclosureCrypto, decryptBytes, encryptBytes, openText, sealText } from './disclosure-crypto.js';
import {
  DisclosureAttempt,
  DisclosureFile,
  DisclosureRequest,
  DisclosureReview,
  DisclosureRuleRow,
  DisclosureStep,
  type StepKind,
} from './disclosure.entities.js';

const HOUR_MS = 3600_000;
/** Identity proofs: PDF or a photo. */
const IDENTITY_TYPES = ['PDF', 'JPEG', 'PNG'];
/** The code on the receipt: 12 characters of an alphabet without look-alikes (I, O, 0, 1), shown in groups of 4. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const NEUTRAL_NOT_FOUND = '未找到该申请，或查询码不正确。请核对回执上的申请编号和查询码。';

export interface UploadedFile {
  originalname: string;
  buffer: Buffer;
}

export interface Receipt {
  trackingNo: string;
  /** Shown once; only its hash is kept. */
  code: string;
  receivedOn: string;
  dueOn: string | null;
}

/** A request with its clock as read today, its steps and files: what staff see (personal data decrypted). */
export interface RequestDetail {
  request: DisclosureRequest;
  personal: PersonalData | null;
  clock: ClockReading;
  steps: DisclosureStep[];
  files: Omit<DisclosureFile, 'data'>[];
}

export type ListFilter = 'open' | 'overdue' | 'due-soon' | 'closed' | 'all';
export const LIST_FILTERS: ListFilter[] = ['open', 'overdue', 'due-soon', 'closed', 'all'];
const OPEN_STATUSES = ['received', 'awaiting-clarification', 'consulting'] as const;

export const codeHash = (trackingNo: string, code: string) =>
  createHash('sha256').update(`disclosure-code:${trackingNo}:${code}`).digest('hex');
const ipHashOf = (ip: string) => createHash('sha256').update(`disclosure-ip:${ip}`).digest('hex');
/** The code as typed: spaces, dashes and case do not matter. */
export const normaliseCode = (code: string) => code.replace(/[\s-]/g, '').toUpperCase();

function newCode(): string {
  const chars = Array.from({ length: 12 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8)}`;
}

/** The audit image of a request: its clock and outcome, never who applied or what they wrote. */
export function requestImage(r: DisclosureRequest | null) {
  if (!r) return null;
  return {
    trackingNo: r.trackingNo,
    channel: r.channel,
    applicantType: r.applicantType,
    receivedOn: r.receivedOn,
    status: r.status,
    clarificationRequestedOn: r.clarificationRequestedOn,
    clarificationDueOn: r.clarificationDueOn,
    clarifiedOn: r.clarifiedOn,
    extensionGrantedOn: r.extensionGrantedOn,
    extensionDays: r.extensionDays,
    extensionApprover: r.extensionApprover,
    extensionNotifiedOn: r.extensionNotifiedOn,
    dueOn: r.dueOn,
    outcome: r.outcome,
    outcomeReason: r.outcomeReason,
    answeredOn: r.answeredOn,
    identityDeletedAt: r.identityDeletedAt,
  };
}

/**
 * Requests for disclosure on application: submission and registration, the statutory clock's steps, the answer,
 * reconsiderations and lawsuits, and the jobs' work (lapsed clarifications, retention of identity documents).
 * Every change is one transaction with its step and its audit entry.
 */
@Injectable()
export class DisclosureService implements OnApplicationBootstrap {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly calendar: CalendarService,
    private readonly crypto: DisclosureCrypto,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** The clock's settings: defaults inserted once per code, then edited by administrators. */
  async onApplicationBootstrap() {
    // The key is read (or generated) once, outside any transaction: SQLite's transactions do not nest.
    await this.crypto.key();
    const existing = new Set((await this.db.manager.find(DisclosureRuleRow)).map((r) => r.code));
    const missing = DEFAULT_DISCLOSURE_RULES.filter((r) => !existing.has(r.code));
    if (!missing.length) return;
    await this.db.transaction((em) =>
      em
        .createQueryBuilder()
        .insert()
        .into(DisclosureRuleRow)
        .values(missing.map((r) => ({ ...r, updatedAt: this.clock.now() })))
        .orIgnore()
        .execute(),
    );
  }

  async rules(em: EntityManager = this.db.manager): Promise<DisclosureRules> {
    return rulesByCode((await em.find(DisclosureRuleRow)) as DisclosureRule[]);
  }

  async ruleRows(): Promise<DisclosureRuleRow[]> {
    return this.db.manager.find(DisclosureRuleRow, { order: { code: 'ASC' } });
  }

  async updateRule(actor: Actor, code: string, changes: { amount?: number; enabled?: boolean }) {
    return this.db.transaction(async (em) => {
      const row = await em.findOneBy(DisclosureRuleRow, { code });
      if (!row) throw notFound('依申请公开时限规则');
      const before = { ...row };
      if (changes.amount !== undefined) row.amount = changes.amount;
      if (changes.enabled !== undefined) row.enabled = changes.enabled;
      row.updatedAt = this.clock.now();
      await em.save(row);
      await this.audit.record(em, actor, 'disclosure-rule.update', 'disclosure-rule', code, before, row);
      return row;
    });
  }

  today(): string {
    return chinaDate(this.clock.now());
  }

  /** An online request from the public form: limited per client address; bad input writes nothing. */
  async submitOnline(body: Record<string, unknown>, file: UploadedFile | undefined, ip: string | null) {
    const { value, errors } = parseApplication(body);
    const identity = file ? this.checkIdentityFile(file, errors) : null;
    const now = this.clock.now();
    const ipHash = ip ? ipHashOf(ip) : null;
    return this.db.transaction(async (em) => {
      // Counted in the same transaction: a refused form rolls its count back with everything else (nothing written).
      if (ipHash) await this.admit(em, ipHash, 'submit', this.config.disclosure.submissionsPerIpPerHour);
      if (errors.length || !value) throw validationFailed(errors, '申请未提交：请按提示修改后重新提交');
      const calendar = await this.calendar.load(em);
      const rules = await this.rules(em);
      const receivedOn = onlineReceipt(chinaDate(now), calendar, rules);
      return this.create(em, value, { channel: 'online', receivedOn, ipHash, registeredBy: null }, identity, {
        userId: 0,
        username: 'applicant',
        via: 'public-form',
        ip,
      });
    });
  }

  /** Staff register a request received by letter, fax or in person, with its date of receipt. */
  async register(actor: Actor, body: Record<string, unknown>, file?: UploadedFile) {
    const { value, errors } = parseRegistration(body, this.today());
    const identity = file ? this.checkIdentityFile(file, errors) : null;
    if (errors.length || !value) throw validationFailed(errors);
    return this.db.transaction(async (em) => {
      const { channel, receivedOn, ...application } = value;
      return this.create(
        em,
        application,
        { channel, receivedOn, ipHash: null, registeredBy: actor.userId || null },
        identity,
        actor,
      );
    });
  }

  private checkIdentityFile(file: UploadedFile, errors: FieldError[]) {
    if (file.buffer.length === 0) return null;
    const max = this.config.disclosure.uploadMaxBytes;
    const label = '身份证明文件：';
    if (file.buffer.length > max) {
      errors.push({ field: 'file', message: `${label}超过 ${+(max / 1024 / 1024).toFixed(1)} MB 的上限` });
      return null;
    }
    const name = cleanFileName(file.originalname);
    const detected = detectFileType(name, file.buffer);
    if ('problem' in detected || !IDENTITY_TYPES.includes(detected.type.label)) {
      errors.push({ field: 'file', message: `${label}只接受 PDF、JPEG 或 PNG 文件，且扩展名须与内容一致` });
      return null;
    }
    return { name, contentType: detected.type.contentType, bytes: file.buffer };
  }

  private async admit(em: EntityManager, ipHash: string, kind: 'submit' | 'lookup', limit: number) {
    const now = this.clock.now();
    await em.delete(DisclosureAttempt, { createdAt: LessThan(new Date(now.getTime() - 24 * HOUR_MS)) });
    const recent = await em.countBy(DisclosureAttempt, {
      ipHash,
      kind,
      createdAt: MoreThan(new Date(now.getTime() - HOUR_MS)),
    });
    if (recent >= limit)
      throw new AppError(
        'rate-limited',
        kind === 'submit'
          ? `此网络地址一小时内提交的申请已达 ${limit} 件，请稍后再试，或以信函、当面方式提交`
          : `此网络地址一小时内的查询已达 ${limit} 次，请稍后再试`,
        [],
        { retryAfter: 3600 },
      );
    await em.insert(DisclosureAttempt, { ipHash, kind, createdAt: now });
  }

  private async create(
    em: EntityManager,
    application: Application,
    how: Pick<DisclosureRequest, 'channel' | 'receivedOn' | 'ipHash' | 'registeredBy'>,
    identity: { name: string; contentType: string; bytes: Buffer } | null,
    actor: AuditActor,
  ): Promise<Receipt> {
    const now = this.clock.now();
    const key = await this.crypto.key();
    const code = newCode();
    const draft = await em.save(
      em.create(DisclosureRequest, {
        // A placeholder until the id is known: the tracking number is made from it.
        trackingNo: `new-${randomBytes(8).toString('hex')}`,
        codeHash: '',
        channel: how.channel,
        applicantType: application.applicantType,
        personal: sealText(key, JSON.stringify(application.personal)),
        description: application.description,
        purpose: application.purpose,
        deliveryForm: application.deliveryForm,
        deliveryChannel: application.deliveryChannel,
        submittedAt: now,
        receivedOn: how.receivedOn,
        status: 'received',
        ipHash: how.ipHash,
        registeredBy: how.registeredBy,
        createdAt: now,
        updatedAt: now,
      }),
    );
    draft.trackingNo = formatTrackingNo(Number(chinaDate(now).slice(0, 4)), draft.id);
    draft.codeHash = codeHash(draft.trackingNo, normaliseCode(code));
    await this.refreshDue(em, draft);
    await em.save(draft);
    if (identity) await this.storeFile(em, draft.id, 'identity', identity.name, identity.contentType, identity.bytes);
    await this.step(em, draft.id, how.channel === 'online' ? 'received' : 'registered', how.receivedOn, actor);
    await this.audit.record(
      em,
      actor,
      how.channel === 'online' ? 'disclosure.submit' : 'disclosure.register',
      'disclosure-request',
      draft.trackingNo,
      null,
      requestImage(draft),
    );
    return { trackingNo: draft.trackingNo, code, receivedOn: draft.receivedOn, dueOn: draft.dueOn };
  }

  private async storeFile(
    em: EntityManager,
    requestId: number,
    kind: 'identity' | 'reply',
    fileName: string,
    contentType: string,
    bytes: Buffer,
  ) {
    const key = await this.crypto.key();
    await em.insert(DisclosureFile, {
      requestId,
      kind,
      fileName,
      contentType,
      size: bytes.length,
      keyId: key.id,
      data: encryptBytes(key, bytes),
      createdAt: this.clock.now(),
    });
  }

  private async step(
    em: EntityManager,
    requestId: number,
    kind: StepKind,
    onDate: string,
    actor: AuditActor,
    note: string | null = null,
  ) {
    await em.insert(DisclosureStep, {
      requestId,
      kind,
      onDate,
      at: this.clock.now(),
      actorName: actor.username.slice(0, 100),
      note,
    });
  }

  /** The clock's facts of a request, from its columns and its pause steps. */
  private async facts(em: EntityManager, r: DisclosureRequest): Promise<ClockFacts> {
    const steps = await em.find(DisclosureStep, {
      where: { requestId: r.id, kind: In(['paused', 'resumed']) },
      order: { id: 'ASC' },
    });
    return factsOf(r, steps);
  }

  private async refreshDue(em: EntityManager, r: DisclosureRequest) {
    const reading = readClock(
      await this.facts(em, r),
      this.today(),
      await this.calendar.load(em),
      await this.rules(em),
    );
    r.dueOn = reading.dueOn;
    return reading;
  }

  /** The applicant's view: by tracking number and code, limited per address; a wrong code reads as an unknown number. */
  async lookup(trackingNo: string, code: string, ip: string | null) {
    const ipHash = ip ? ipHashOf(ip) : null;
    if (ipHash)
      await this.db.transaction((em) => this.admit(em, ipHash, 'lookup', this.config.disclosure.lookupsPerIpPerHour));
    const number = trackingNo.trim().toUpperCase();
    const given = normaliseCode(code);
    if (!TRACKING_NO.test(number) || !given) throw new AppError('not-found', NEUTRAL_NOT_FOUND);
    await this.closeLapsedClarifications(number);
    const r = await this.db.manager.findOneBy(DisclosureRequest, { trackingNo: number });
    if (!r || r.codeHash !== codeHash(number, given)) throw new AppError('not-found', NEUTRAL_NOT_FOUND);
    const steps = await this.db.manager.find(DisclosureStep, { where: { requestId: r.id }, order: { id: 'ASC' } });
    const files = await this.db.manager.find(DisclosureFile, {
      where: { requestId: r.id, kind: 'reply' },
      select: { id: true, fileName: true, contentType: true, size: true },
      order: { id: 'ASC' },
    });
    const clock = readClock(factsOf(r, steps), this.today(), await this.calendar.load(), await this.rules());
    return { request: r, clock, steps, files };
  }

  /** A reply attachment for the holder of the code. */
  async applicantFile(trackingNo: string, code: string, fileId: number, ip: string | null) {
    const { request } = await this.lookup(trackingNo, code, ip);
    return this.openFile(request.id, fileId, 'reply');
  }

  private async openFile(requestId: number, fileId: number, kind?: 'identity' | 'reply') {
    const f = await this.db.manager.findOneBy(DisclosureFile, { id: fileId, requestId, ...(kind ? { kind } : {}) });
    if (!f) throw notFound('文件');
    const key = await this.crypto.key();
    if (f.keyId !== key.id) throw new AppError('not-found', '文件由另一把密钥加密，当前配置的 DISCLOSURE_KEY 无法解密');
    return { fileName: f.fileName, contentType: f.contentType, bytes: decryptBytes(key, f.data) };
  }

  /** Staff download a file of a request; opening an identity document is audited. */
  async staffFile(actor: Actor, trackingNo: string, fileId: number) {
    const r = await this.byTrackingNo(this.db.manager, trackingNo);
    const file = await this.openFile(r.id, fileId);
    const row = await this.db.manager.findOneBy(DisclosureFile, { id: fileId });
    if (row?.kind === 'identity')
      await this.db.transaction((em) =>
        this.audit.record(em, actor, 'disclosure.identity-opened', 'disclosure-file', String(fileId), null, {
          trackingNo: r.trackingNo,
          fileId,
        }),
      );
    return file;
  }

  private async byTrackingNo(em: EntityManager, trackingNo: string, lock = false) {
    const qb = em.createQueryBuilder(DisclosureRequest, 'r').where('r.tracking_no = :t', { t: trackingNo });
    const r = await (lock ? forUpdate(qb, dialectOf(this.db.dataSource)) : qb).getOne();
    if (!r) throw notFound('依申请公开申请');
    return r;
  }

  async list(filter: ListFilter, limit = 200) {
    await this.closeLapsedClarifications();
    const where =
      filter === 'closed'
        ? { status: In(['answered', 'withdrawn']) }
        : filter === 'all'
          ? {}
          : { status: In([...OPEN_STATUSES]) };
    const rows = await this.db.manager.find(DisclosureRequest, {
      where,
      order: { dueOn: 'ASC', id: 'ASC' },
      take: filter === 'open' || filter === 'overdue' || filter === 'due-soon' ? 5000 : limit,
    });
    const [calendar, rules] = await Promise.all([this.calendar.load(), this.rules()]);
    const steps = await this.pauseSteps(rows.map((r) => r.id));
    const today = this.today();
    const items = rows.map((r) => ({
      request: r,
      clock: readClock(factsOf(r, steps.get(r.id) ?? []), today, calendar, rules),
    }));
    const kept =
      filter === 'overdue'
        ? items.filter((i) => i.clock.overdue)
        : filter === 'due-soon'
          ? items.filter((i) => i.clock.dueSoon)
          : items;
    return kept.slice(0, limit);
  }

  private async pauseSteps(ids: number[]) {
    const out = new Map<number, DisclosureStep[]>();
    for (let i = 0; i < ids.length; i += 500) {
      const steps = await this.db.manager.find(DisclosureStep, {
        where: { requestId: In(ids.slice(i, i + 500)), kind: In(['paused', 'resumed']) },
        order: { id: 'ASC' },
      });
      for (const s of steps) out.set(s.requestId, [...(out.get(s.requestId) ?? []), s]);
    }
    return out;
  }

  /** Open requests due within the reminder period and overdue ones, for the dashboard. */
  async reminders() {
    const open = await this.list('open', 5000);
    return {
      dueSoon: open.filter((i) => i.clock.dueSoon),
      overdue: open.filter((i) => i.clock.overdue),
      calendarMissing: open.filter((i) => i.clock.state === 'calendar-missing'),
    };
  }

  async detail(trackingNo: string): Promise<RequestDetail> {
    await this.closeLapsedClarifications(trackingNo);
    const r = await this.byTrackingNo(this.db.manager, trackingNo);
    const steps = await this.db.manager.find(DisclosureStep, { where: { requestId: r.id }, order: { id: 'ASC' } });
    const files = await this.db.manager.find(DisclosureFile, {
      where: { requestId: r.id },
      select: {
        id: true,
        requestId: true,
        kind: true,
        fileName: true,
        contentType: true,
        size: true,
        keyId: true,
        createdAt: true,
      },
      order: { id: 'ASC' },
    });
    const clock = readClock(factsOf(r, steps), this.today(), await this.calendar.load(), await this.rules());
    return { request: r, personal: await this.personalOf(r), clock, steps, files };
  }

  private async personalOf(r: DisclosureRequest): Promise<PersonalData | null> {
    try {
      return JSON.parse(openText(await this.crypto.key(), r.personal)) as PersonalData;
    } catch {
      return null;
    }
  }

  /** One clock step under the request's row lock: checked, applied, recorded as a step and audited. */
  private async change(
    actor: Actor,
    trackingNo: string,
    action: string,
    work: (
      r: DisclosureRequest,
      em: EntityManager,
      ctx: { facts: ClockFacts; rules: DisclosureRules },
    ) => Promise<void>,
  ) {
    return this.db.transaction(async (em) => {
      const r = await this.byTrackingNo(em, trackingNo, true);
      const before = requestImage({ ...r });
      const ctx = { facts: await this.facts(em, r), rules: await this.rules(em) };
      await work(r, em, ctx);
      r.updatedAt = this.clock.now();
      await this.refreshDue(em, r);
      await em.save(r);
      await this.audit.record(
        em,
        actor,
        `disclosure.${action}`,
        'disclosure-request',
        r.trackingNo,
        before,
        requestImage(r),
      );
      return r;
    });
  }

  private open(r: DisclosureRequest) {
    if (r.status === 'answered' || r.status === 'withdrawn')
      throw new AppError('workflow.not-editable', `申请 ${r.trackingNo} 已办结，不能再变更`);
  }

  private date(field: string, value: unknown, label: string): string {
    if (typeof value !== 'string' || !isValidChinaDate(value))
      throw validationFailed([{ field, message: `${label}：应为 YYYY-MM-DD 日期` }]);
    if (value > this.today()) throw validationFailed([{ field, message: `${label}：不能晚于今天 ${this.today()}` }]);
    return value;
  }

  async requestClarification(
    actor: Actor,
    trackingNo: string,
    input: { on?: unknown; dueOn?: unknown; text?: unknown },
  ) {
    return this.change(actor, trackingNo, 'clarification-request', async (r, em, { facts, rules }) => {
      this.open(r);
      const on = this.date('on', input.on ?? this.today(), '告知补正之日');
      const calendar = await this.calendar.load(em);
      const dueOn =
        input.dueOn === undefined || input.dueOn === ''
          ? calendar.addWorkingDays(on, rules['clarification-period'].amount)
          : input.dueOn;
      if (typeof dueOn !== 'string' || !isValidChinaDate(dueOn))
        throw validationFailed([{ field: 'dueOn', message: '补正期限：应为 YYYY-MM-DD 日期' }]);
      const text = typeof input.text === 'string' ? input.text.trim() : '';
      if (!text || [...text].length > 2000)
        throw validationFailed([{ field: 'text', message: '需要补正的事项：必填，不超过 2000 字' }]);
      if (r.status === 'consulting') throw new AppError('workflow.not-editable', '征求第三方意见期间不能告知补正');
      const refusal = clarificationRefusal(facts, on, dueOn, calendar, rules);
      if (refusal) throw validationFailed([{ field: 'on', message: refusal }], refusal);
      Object.assign(r, {
        status: 'awaiting-clarification',
        clarificationRequestedOn: on,
        clarificationDueOn: dueOn,
        clarificationText: text,
      });
      await this.step(em, r.id, 'clarification-requested', on, actor, `补正期限至 ${dueOn}`);
    });
  }

  async recordClarified(actor: Actor, trackingNo: string, input: { on?: unknown }) {
    return this.change(actor, trackingNo, 'clarified', async (r, em) => {
      if (r.status !== 'awaiting-clarification')
        throw new AppError('workflow.not-editable', `申请 ${r.trackingNo} 不在待补正状态`);
      const on = this.date('on', input.on ?? this.today(), '收到补正申请之日');
      if (on < r.clarificationRequestedOn!)
        throw validationFailed([{ field: 'on', message: '收到补正申请之日不能早于告知补正之日' }]);
      if (on > r.clarificationDueOn!)
        throw validationFailed([
          {
            field: 'on',
            message: `补正期限已于 ${r.clarificationDueOn} 届满：逾期未补正的申请视为放弃（条例第三十条）`,
          },
        ]);
      Object.assign(r, { status: 'received', clarifiedOn: on });
      await this.step(em, r.id, 'clarified', on, actor);
    });
  }

  async extend(
    actor: Actor,
    trackingNo: string,
    input: { on?: unknown; workingDays?: unknown; approver?: unknown; notice?: unknown; notifiedOn?: unknown },
  ) {
    return this.change(actor, trackingNo, 'extend', async (r, em, { facts, rules }) => {
      this.open(r);
      const on = this.date('on', input.on ?? this.today(), '批准延期之日');
      const days = Number(input.workingDays);
      const approver = typeof input.approver === 'string' ? input.approver.trim() : '';
      const notice = typeof input.notice === 'string' ? input.notice.trim() : '';
      const errors: FieldError[] = [];
      if (!approver || [...approver].length > 100)
        errors.push({
          field: 'approver',
          message: '批准人：须写明同意延期的政府信息公开工作机构负责人（条例第三十三条）',
        });
      if (!notice || [...notice].length > 2000)
        errors.push({ field: 'notice', message: '延期告知：须记录告知申请人的内容（条例第三十三条）' });
      const notifiedOn = this.date('notifiedOn', input.notifiedOn ?? on, '告知申请人之日');
      if (errors.length) throw validationFailed(errors);
      const refusal = extensionRefusal(facts, on, days, await this.calendar.load(em), rules);
      if (refusal) throw validationFailed([{ field: 'workingDays', message: refusal }], refusal);
      Object.assign(r, {
        extensionGrantedOn: on,
        extensionDays: days,
        extensionApprover: approver,
        extensionNotice: notice,
        extensionNotifiedOn: notifiedOn,
      });
      await this.step(em, r.id, 'extended', on, actor, `延长 ${days} 个工作日，批准人：${approver}`);
    });
  }

  async pause(actor: Actor, trackingNo: string, input: { on?: unknown; note?: unknown }) {
    return this.change(actor, trackingNo, 'pause', async (r, em) => {
      if (r.status !== 'received')
        throw new AppError('workflow.not-editable', `申请 ${r.trackingNo} 当前不能暂停计时（须在办理中）`);
      const on = this.date('on', input.on ?? this.today(), '发出征求意见书之日');
      const note = typeof input.note === 'string' ? input.note.trim().slice(0, 500) : '';
      if (!note) throw validationFailed([{ field: 'note', message: '征求意见对象：必填（第三方或其他机关）' }]);
      r.status = 'consulting';
      await this.step(em, r.id, 'paused', on, actor, note);
    });
  }

  async resume(actor: Actor, trackingNo: string, input: { on?: unknown }) {
    return this.change(actor, trackingNo, 'resume', async (r, em, { facts }) => {
      if (r.status !== 'consulting') throw new AppError('workflow.not-editable', `申请 ${r.trackingNo} 未在征求意见中`);
      const on = this.date('on', input.on ?? this.today(), '收到意见之日');
      const from = facts.pauses!.at(-1)!.from;
      if (on < from)
        throw validationFailed([{ field: 'on', message: `收到意见之日不能早于发出征求意见书之日 ${from}` }]);
      r.status = 'received';
      await this.step(em, r.id, 'resumed', on, actor);
    });
  }

  async answer(
    actor: Actor,
    trackingNo: string,
    input: { on?: unknown; outcome?: unknown; reason?: unknown; replyText?: unknown },
    files: UploadedFile[] = [],
  ) {
    const errors: FieldError[] = [];
    const outcome = typeof input.outcome === 'string' ? input.outcome : '';
    const reason = typeof input.reason === 'string' && input.reason ? input.reason : null;
    if (!isOutcome(outcome, reason))
      errors.push({
        field: 'outcome',
        message: '办理结果：须从年报格式的固定列表中选择（不予公开、无法提供、不予处理、其他处理须选具体理由）',
      });
    const replyText = typeof input.replyText === 'string' ? input.replyText.trim() : '';
    if (!replyText || [...replyText].length > 20_000)
      errors.push({ field: 'replyText', message: '答复内容：必填，不超过 20000 字' });
    const attachments = files.map((f) => {
      const name = cleanFileName(f.originalname);
      const detected = detectFileType(name, f.buffer);
      if (f.buffer.length > this.config.disclosure.uploadMaxBytes)
        errors.push({ field: 'files', message: `答复附件“${name}”超过大小上限` });
      else if ('problem' in detected) errors.push({ field: 'files', message: `答复附件：${detected.problem}` });
      return { name, bytes: f.buffer, contentType: 'type' in detected ? detected.type.contentType : '' };
    });
    if (errors.length) throw validationFailed(errors);
    return this.change(actor, trackingNo, 'answer', async (r, em) => {
      if (r.status !== 'received')
        throw new AppError(
          'workflow.not-editable',
          r.status === 'consulting' ? '请先登记收到第三方意见（恢复计时）再答复' : `申请 ${r.trackingNo} 当前不能答复`,
        );
      const on = this.date('on', input.on ?? this.today(), '答复之日');
      if (on < (r.clarifiedOn ?? r.receivedOn))
        throw validationFailed([{ field: 'on', message: '答复之日不能早于收到申请之日' }]);
      Object.assign(r, {
        status: 'answered',
        outcome: outcome as OutcomeGroup,
        outcomeReason: reason,
        replyText,
        answeredOn: on,
      });
      for (const a of attachments) await this.storeFile(em, r.id, 'reply', a.name, a.contentType, a.bytes);
      await this.step(em, r.id, 'answered', on, actor);
    });
  }

  /**
   * Requests whose clarification period has passed without a clarified request are deemed withdrawn (art. 30):
   * closed as 其他处理 (逾期不补正) on the day after the period. Run by the job, and before a request is read.
   */
  async closeLapsedClarifications(trackingNo?: string): Promise<number> {
    const today = this.today();
    const lapsed = await this.db.manager.find(DisclosureRequest, {
      where: {
        status: 'awaiting-clarification',
        clarificationDueOn: LessThan(today),
        ...(trackingNo ? { trackingNo } : {}),
      },
      select: { trackingNo: true },
    });
    const system = { userId: 0, username: 'system', via: 'system', ip: null };
    for (const { trackingNo: t } of lapsed)
      await this.db.transaction(async (em) => {
        const r = await this.byTrackingNo(em, t, true);
        if (r.status !== 'awaiting-clarification' || !(r.clarificationDueOn! < today)) return;
        const before = requestImage({ ...r });
        const on = addDays(r.clarificationDueOn!, 1);
        Object.assign(r, {
          status: 'withdrawn',
          outcome: 'other',
          outcomeReason: 'no-clarification',
          answeredOn: on,
          updatedAt: this.clock.now(),
        });
        await em.save(r);
        await this.step(em, r.id, 'withdrawn', on, system, `补正期限 ${r.clarificationDueOn} 届满未补正，视为放弃申请`);
        await this.audit.record(
          em,
          system,
          'disclosure.withdrawn',
          'disclosure-request',
          r.trackingNo,
          before,
          requestImage(r),
        );
      });
    return lapsed.length;
  }

  /** Identity documents of requests closed more than the retention ago are deleted, each deletion audited. */
  async deleteExpiredIdentities(): Promise<number> {
    const cutoff = addDays(this.today(), -this.config.disclosure.identityRetentionDays);
    const due = await this.db.manager
      .createQueryBuilder(DisclosureFile, 'f')
      .innerJoin(DisclosureRequest, 'r', 'r.id = f.request_id')
      .select(['f.id AS id', 'r.tracking_no AS trackingNo'])
      .where("f.kind = 'identity'")
      .andWhere('r.answered_on IS NOT NULL')
      .andWhere('r.answered_on < :cutoff', { cutoff })
      .getRawMany<{ id: number; trackingNo: string; trackingno?: string }>();
    const system = { userId: 0, username: 'system', via: 'system', ip: null };
    for (const row of due)
      await this.db.transaction(async (em) => {
        const file = await em.findOne(DisclosureFile, {
          where: { id: row.id },
          select: { id: true, requestId: true, fileName: true, size: true, createdAt: true },
        });
        if (!file) return;
        await em.delete(DisclosureFile, { id: file.id });
        const r = await em.findOneByOrFail(DisclosureRequest, { id: file.requestId });
        r.identityDeletedAt = this.clock.now();
        await em.save(r);
        await this.step(
          em,
          r.id,
          'identity-deleted',
          this.today(),
          system,
          `保存期限 ${this.config.disclosure.identityRetentionDays} 天届满`,
        );
        await this.audit.record(
          em,
          system,
          'disclosure.identity-deleted',
          'disclosure-file',
          String(file.id),
          {
            trackingNo: r.trackingNo,
            size: file.size,
            storedAt: file.createdAt,
          },
          null,
        );
      });
    return due.length;
  }

  // Reconsiderations and lawsuits (table 四).

  async reviews() {
    return this.db.manager.find(DisclosureReview, { order: { filedOn: 'DESC', id: 'DESC' } });
  }

  private async reviewInput(em: EntityManager, input: Record<string, unknown>, partial: boolean) {
    const errors: FieldError[] = [];
    const out: Partial<DisclosureReview> = {};
    const has = (k: string) => input[k] !== undefined;
    if (!partial || has('kind')) {
      if (!REVIEW_KINDS.some((k) => k.code === input.kind))
        errors.push({ field: 'kind', message: '类别：应为行政复议（reconsideration）或行政诉讼（lawsuit）' });
      else out.kind = input.kind as DisclosureReview['kind'];
    }
    if (!partial || has('lawsuitRoute')) {
      const route = input.lawsuitRoute === '' ? null : (input.lawsuitRoute ?? null);
      if (route !== null && !LAWSUIT_ROUTES.some((k) => k.code === route))
        errors.push({
          field: 'lawsuitRoute',
          message: '起诉方式：应为未经复议直接起诉（direct）或复议后起诉（after-reconsideration）',
        });
      else out.lawsuitRoute = route as DisclosureReview['lawsuitRoute'];
    }
    if (!partial || has('outcome')) {
      if (!REVIEW_OUTCOMES.some((k) => k.code === input.outcome))
        errors.push({ field: 'outcome', message: '结果：应为维持、纠正、其他或尚未审结' });
      else out.outcome = input.outcome as DisclosureReview['outcome'];
    }
    if (!partial || has('caseNumber')) {
      const c = typeof input.caseNumber === 'string' ? input.caseNumber.trim() : '';
      if (!c || [...c].length > 100) errors.push({ field: 'caseNumber', message: '案号：必填，不超过 100 字' });
      else out.caseNumber = c;
    }
    for (const [field, label] of [
      ['filedOn', '申请或起诉之日'],
      ['decidedOn', '决定或判决之日'],
    ] as const) {
      if (partial && !has(field)) continue;
      const v = input[field] === '' ? null : (input[field] ?? null);
      if (field === 'filedOn' && v === null) errors.push({ field, message: `${label}：必填` });
      else if (v !== null && (typeof v !== 'string' || !isValidChinaDate(v)))
        errors.push({ field, message: `${label}：应为 YYYY-MM-DD 日期` });
      else out[field] = v as string;
    }
    if (!partial || has('trackingNo')) {
      const t = typeof input.trackingNo === 'string' ? input.trackingNo.trim().toUpperCase() : '';
      if (!t) out.requestId = null;
      else {
        const r = await em.findOneBy(DisclosureRequest, { trackingNo: t });
        if (!r) errors.push({ field: 'trackingNo', message: `申请编号：没有编号为 ${t} 的申请` });
        else out.requestId = r.id;
      }
    }
    if (!partial || has('note'))
      out.note = typeof input.note === 'string' && input.note.trim() ? input.note.trim().slice(0, 2000) : null;
    return { out, errors };
  }

  private checkReview(r: Partial<DisclosureReview>) {
    const errors: FieldError[] = [];
    if (r.kind === 'lawsuit' && !r.lawsuitRoute)
      errors.push({ field: 'lawsuitRoute', message: '起诉方式：行政诉讼须写明是直接起诉还是复议后起诉' });
    if (r.kind === 'reconsideration' && r.lawsuitRoute)
      errors.push({ field: 'lawsuitRoute', message: '起诉方式：行政复议不填' });
    if (r.outcome === 'pending' && r.decidedOn)
      errors.push({ field: 'decidedOn', message: '尚未审结的案件没有决定日期' });
    if (r.outcome && r.outcome !== 'pending' && !r.decidedOn)
      errors.push({ field: 'decidedOn', message: '决定或判决之日：已审结的案件必填' });
    if (r.decidedOn && r.filedOn && r.decidedOn < r.filedOn)
      errors.push({ field: 'decidedOn', message: '决定或判决之日不能早于申请或起诉之日' });
    if (errors.length) throw validationFailed(errors);
  }

  async createReview(actor: Actor, input: Record<string, unknown>) {
    return this.db.transaction(async (em) => {
      const { out, errors } = await this.reviewInput(em, input, false);
      if (errors.length) throw validationFailed(errors);
      this.checkReview(out);
      const now = this.clock.now();
      const row = await em.save(em.create(DisclosureReview, { ...out, createdAt: now, updatedAt: now }));
      await this.audit.record(em, actor, 'disclosure-review.create', 'disclosure-review', String(row.id), null, row);
      return row;
    });
  }

  async updateReview(actor: Actor, id: number, input: Record<string, unknown>) {
    return this.db.transaction(async (em) => {
      const row = await em.findOneBy(DisclosureReview, { id });
      if (!row) throw notFound('复议或诉讼记录');
      const before = { ...row };
      const { out, errors } = await this.reviewInput(em, input, true);
      if (errors.length) throw validationFailed(errors);
      Object.assign(row, out, { updatedAt: this.clock.now() });
      this.checkReview(row);
      await em.save(row);
      await this.audit.record(em, actor, 'disclosure-review.update', 'disclosure-review', String(id), before, row);
      return row;
    });
  }

  async trackingNoOf(requestId: number | null): Promise<string | null> {
    if (requestId === null) return null;
    return (await this.db.manager.findOneBy(DisclosureRequest, { id: requestId }))?.trackingNo ?? null;
  }
}

/**
 * The date of receipt of an online request. When the calendar lacks the year a rest day would roll into, the
 * submission day itself (staff see the clock's calendar-missing state and can correct nothing: an applicant is
 * never refused for it).
 */
function onlineReceipt(submittedOn: string, calendar: WorkingDayCalendar, rules: DisclosureRules): string {
  try {
    return receiptDate('online', submittedOn, calendar, rules);
  } catch (e) {
    if (e instanceof DomainError && e.code === 'calendar.year-missing') return submittedOn;
    throw e;
  }
}

/** The clock's facts of a request and its steps (pauses read from the paused/resumed steps in order). */
export function factsOf(r: DisclosureRequest, steps: DisclosureStep[]): ClockFacts {
  const pauses: ClockPause[] = [];
  for (const s of steps) {
    if (s.kind === 'paused') pauses.push({ from: s.onDate, to: null });
    else if (s.kind === 'resumed' && pauses.length && pauses.at(-1)!.to === null) pauses.at(-1)!.to = s.onDate;
  }
  return {
    receivedOn: r.receivedOn,
    clarification: r.clarificationRequestedOn
      ? { requestedOn: r.clarificationRequestedOn, dueOn: r.clarificationDueOn!, clarifiedOn: r.clarifiedOn }
      : null,
    extension: r.extensionGrantedOn ? { grantedOn: r.extensionGrantedOn, workingDays: r.extensionDays! } : null,
    pauses,
    closedOn: r.answeredOn,
  };
}
