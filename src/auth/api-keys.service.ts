import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { Database } from '../database/database.js';
import { forUpdate } from '../database/dialect.js';
import { notFound, validationFailed } from '../http/app-error.js';
import { chinaDateTimeIso } from '../domain/china-time.js';
import { actorOf, type Actor, type StaffAuth } from './actor.js';
import { ApiKey } from './api-key.entity.js';
import { StaffUser } from './staff-user.entity.js';
import { randomToken, sha256, TOUCH_INTERVAL_MS } from './tokens.js';

export interface PublicApiKey {
  id: number;
  userId: number;
  username: string | null;
  name: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

const API_KEY = /^ggzy_[A-Za-z0-9_-]{43}$/;
export const API_KEY_PREFIX_LENGTH = 12;
const iso = (d: Date | null) => (d ? chinaDateTimeIso(d) : null);

/** API keys of the e-trading system and other programs: each acts as its owner, until revoked. Changes are audited. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  /** The owner acting through a key, or null when the key is malformed, unknown, revoked or its owner disabled. */
  async resolveApiKey(key: string): Promise<StaffAuth | null> {
    if (typeof key !== 'string' || !API_KEY.test(key)) return null;
    const apiKey = await this.db.manager.findOneBy(ApiKey, { keyHash: sha256(key) });
    if (!apiKey || apiKey.revokedAt) return null;
    const user = await this.db.manager.findOneBy(StaffUser, { id: apiKey.userId });
    if (!user || !user.active) return null;
    const now = this.clock.now();
    if (!apiKey.lastUsedAt || now.getTime() - apiKey.lastUsedAt.getTime() >= TOUCH_INTERVAL_MS) {
      await this.db.transaction((em) => em.update(ApiKey, { id: apiKey.id }, { lastUsedAt: now }));
    }
    return { actor: actorOf(user, `api-key:${apiKey.id}`, null), sessionId: null, csrfToken: null, expiresAt: null };
  }

  /** Creates a key for a staff user; the plaintext key is returned here once and never stored. */
  async createApiKey(actor: Actor, ownerUserId: number, name: string): Promise<PublicApiKey & { key: string }> {
    const cleanName = String(name ?? '').trim();
    if (!cleanName || cleanName.length > 100)
      throw validationFailed([{ field: 'name', message: '名称不能为空，且不超过 100 个字符' }]);
    const key = `ggzy_${randomToken()}`;
    return this.db.transaction(async (em) => {
      const owner = await em.findOneBy(StaffUser, { id: ownerUserId });
      if (!owner || !owner.active) throw validationFailed([{ field: 'userId', message: '用户不存在或已停用' }]);
      const row = em.create(ApiKey, {
        userId: owner.id,
        name: cleanName,
        prefix: key.slice(0, API_KEY_PREFIX_LENGTH),
        keyHash: sha256(key),
        createdAt: this.clock.now(),
        revokedAt: null,
        lastUsedAt: null,
      });
      await em.save(row);
      const shown = this.toPublicApiKey(row, owner.username);
      await this.audit.record(em, actor, 'api-key.create', 'api_key', String(row.id), null, shown);
      return { ...shown, key };
    });
  }

  async revokeApiKey(actor: Actor, id: number): Promise<PublicApiKey> {
    return this.db.transaction(async (em) => {
      const row = await forUpdate(
        em.createQueryBuilder(ApiKey, 'k').where('k.id = :id', { id }),
        this.db.dialect,
      ).getOne();
      if (!row) throw notFound('API 密钥');
      const before = this.toPublicApiKey(row, null);
      if (!row.revokedAt) {
        row.revokedAt = this.clock.now();
        await em.update(ApiKey, { id }, { revokedAt: row.revokedAt });
        await this.audit.record(
          em,
          actor,
          'api-key.revoke',
          'api_key',
          String(id),
          before,
          this.toPublicApiKey(row, null),
        );
      }
      return this.toPublicApiKey(row, null);
    });
  }

  async listApiKeys(): Promise<PublicApiKey[]> {
    const [keys, users] = await Promise.all([
      this.db.manager.find(ApiKey, { order: { id: 'DESC' } }),
      this.db.manager.find(StaffUser),
    ]);
    const names = new Map(users.map((u) => [u.id, u.username]));
    return keys.map((k) => this.toPublicApiKey(k, names.get(k.userId) ?? null));
  }

  private toPublicApiKey(k: ApiKey, username: string | null): PublicApiKey {
    return {
      id: k.id,
      userId: k.userId,
      username,
      name: k.name,
      prefix: k.prefix,
      createdAt: chinaDateTimeIso(k.createdAt),
      revokedAt: iso(k.revokedAt),
      lastUsedAt: iso(k.lastUsedAt),
    };
  }
}
