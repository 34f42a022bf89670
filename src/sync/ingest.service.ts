import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { LessThan } from 'typeorm';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig, IngestKeyConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { isUniqueViolation } from '../database/dialect.js';
import { AppError, validationFailed } from '../http/app-error.js';
import { validatePlain } from '../http/validation.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import { canonicalJson } from '../transparency/canonical.js';
import { SyncMessageDto } from './dto.js';
import { RecordImporter, type ImportResult } from './importer.js';
import { noticeInput, projectInput } from './records.js';
import { SIGNATURE_HEADERS, SIGNATURE_WINDOW_SECONDS, verifySignature, type SignatureFailure } from './signing.js';
import { SyncNonce, SyncReceipt } from './sync.entities.js';

export interface IngestRequest {
  headers: Record<string, string | string[] | undefined>;
  /** The exact bytes received (what the signature covers); undefined when the body was not JSON. */
  rawBody: Buffer | undefined;
  /** The same body, parsed. */
  body: unknown;
}

export interface IngestAnswer {
  result: ImportResult;
  /** True when the Idempotency-Key had been applied before: nothing changed this time. */
  replayed: boolean;
}

const REFUSALS: Record<SignatureFailure, string> = {
  'missing-headers': '缺少签名请求头（X-Key-Id、X-Timestamp、X-Nonce、X-Signature）',
  'unknown-key': '未知的密钥（X-Key-Id）',
  'bad-signature': '签名不正确',
  'stale-timestamp': `请求时间（X-Timestamp）与本平台时间相差超过 ${SIGNATURE_WINDOW_SECONDS} 秒`,
};

/**
 * /api/v1/ingest: signed pushes from county centers (and from any platform holding a key). Order of checks:
 * size and type, signature and window, replayed nonce, envelope; then, in one transaction, the Idempotency-Key
 * receipt and the record itself. A refused request writes nothing but its nonce.
 */
@Injectable()
export class IngestService {
  private lastPurge = 0;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly importer: RecordImporter,
  ) {}

  async receive(req: IngestRequest): Promise<IngestAnswer> {
    if (!req.rawBody)
      throw new AppError('ingest.unsupported-type', '请求体必须是 JSON（Content-Type: application/json）');
    if (req.rawBody.length > this.config.sync.ingestMaxBytes) {
      throw new AppError('ingest.too-large', `请求体超过 ${this.config.sync.ingestMaxBytes} 字节的上限`);
    }
    const now = this.clock.now();
    const check = verifySignature(req.headers, req.rawBody, (id) => this.key(id)?.secret, now);
    if (!check.ok) throw new AppError(`ingest.unauthenticated.${check.reason}`, REFUSALS[check.reason]);
    const key = this.key(check.keyId)!;
    await this.useNonce(key.keyId, check.nonce, check.timestamp, now);

    const idempotencyKey = req.headers[SIGNATURE_HEADERS.idempotencyKey];
    if (typeof idempotencyKey !== 'string' || !/^[\x21-\x7e]{1,160}$/.test(idempotencyKey)) {
      throw validationFailed(
        [{ field: 'Idempotency-Key', message: '必填，1 到 160 个可见 ASCII 字符，同一消息的每次重试保持不变' }],
        '缺少或无效的 Idempotency-Key 请求头',
      );
    }
    const { value: message, errors } = await validatePlain(SyncMessageDto, req.body, '');
    if (errors.length) throw validationFailed(errors.map((e) => ({ ...e, field: e.field.replace(/^\./, '') })));
    if (message.platform !== key.platformCode) {
      throw new AppError(
        'ingest.forbidden',
        `消息的平台标识码 ${message.platform} 与密钥所属平台 ${key.platformCode} 不符`,
      );
    }
    const record = message.kind === 'project' ? message.project : message.notice;
    if (!record)
      throw validationFailed([{ field: message.kind === 'project' ? 'project' : 'notice', message: '必填' }]);
    return this.apply(key, idempotencyKey, message, record);
  }

  private async apply(
    key: IngestKeyConfig,
    idempotencyKey: string,
    message: SyncMessageDto,
    record: Record<string, unknown>,
  ): Promise<IngestAnswer> {
    // Over what the record says, not over what it shows of its life since (a project's first publication, a
    // notice's later withdrawal): those change between attempts of one message.
    const content = message.kind === 'project' ? projectInput(record) : noticeInput(record);
    const recordHash = createHash('sha256').update(canonicalJson(content)).digest('hex');
    const actor: Actor = {
      ...SYSTEM_ACTOR,
      username: `ingest:${key.keyId}`.slice(0, 64),
      displayName: `${key.platformCode} 推送`,
      via: 'ingest',
    };
    const allowed = (platform: string) =>
      platform === key.platformCode || key.relays.includes('*') || key.relays.includes(platform);
    try {
      return await this.db.transaction(async (em) => {
        const seen = await em.findOneBy(SyncReceipt, { platform: key.platformCode, idempotencyKey });
        if (seen) return this.replay(seen, recordHash);
        // Inserted first: a concurrent request with the same key waits on this row and then finds it.
        const receipt = await em.save(
          em.create(SyncReceipt, {
            platform: key.platformCode,
            idempotencyKey,
            recordHash,
            result: {},
            receivedAt: this.clock.now(),
          }),
        );
        const result =
          message.kind === 'project'
            ? await this.importer.importProject(em, actor, record, allowed)
            : await this.importer.importNotice(em, actor, record, allowed, message.kind);
        receipt.result = { ...result };
        await em.save(receipt);
        return { result, replayed: false };
      });
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      const seen = await this.db.consistentRead((em) =>
        em.findOneBy(SyncReceipt, { platform: key.platformCode, idempotencyKey }),
      );
      if (!seen) throw e;
      return this.replay(seen, recordHash);
    }
  }

  private replay(seen: SyncReceipt, recordHash: string): IngestAnswer {
    if (seen.recordHash !== recordHash) {
      throw new AppError(
        'ingest.key-reused',
        `Idempotency-Key 已用于另一条记录（${chinaDateTimeIso(seen.receivedAt)} 收到）：同一个键只能对应同一条记录`,
      );
    }
    return { result: seen.result as unknown as ImportResult, replayed: true };
  }

  /** Remembers a nonce until its timestamp leaves the window; a second use within it is a replay. */
  private async useNonce(keyId: string, nonce: string, timestamp: number, now: Date) {
    const expiresAt = new Date(Math.max(timestamp * 1000, now.getTime()) + SIGNATURE_WINDOW_SECONDS * 1000);
    try {
      await this.db.transaction((em) => em.insert(SyncNonce, { keyId, nonce, expiresAt }));
    } catch (e) {
      if (isUniqueViolation(e))
        throw new AppError('ingest.unauthenticated.replayed-nonce', '此 X-Nonce 已被使用：重放的请求不予处理');
      throw e;
    }
    if (now.getTime() - this.lastPurge > 60_000) {
      this.lastPurge = now.getTime();
      await this.db.transaction((em) => em.delete(SyncNonce, { expiresAt: LessThan(now) }));
    }
  }

  private key(keyId: string): IngestKeyConfig | undefined {
    return this.config.ingestKeys.find((k) => k.keyId === keyId);
  }
}
