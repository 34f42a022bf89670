import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { jsonColumn, timeColumn } from '../database/columns.js';

/** Who did what, when, with the before and after images (等级保护: audit of every change). */
@Entity('audit_log')
export class AuditLogEntry {
  @PrimaryGeneratedColumn()
  id: number;

  @Column(timeColumn('at'))
  at: Date;

  @Column({ name: 'actor_id', type: 'int', nullable: true })
  actorId: number | null;

  @Column({ name: 'actor_name', type: 'varchar', length: 100 })
  actorName: string;

  /** 'session', 'api-key:<id>' or 'system'. */
  @Column({ type: 'varchar', length: 32 })
  via: string;

  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'entity_type', type: 'varchar', length: 32 })
  entityType: string;

  @Column({ name: 'entity_id', type: 'varchar', length: 100 })
  entityId: string;

  @Column(jsonColumn('before_image', { nullable: true }))
  before: unknown;

  @Column(jsonColumn('after_image', { nullable: true }))
  after: unknown;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  /** X-Request-Id of the request that made the change (as in the access log); null for jobs and scripts. */
  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId: string | null;
}
