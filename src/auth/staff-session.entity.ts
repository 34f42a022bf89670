import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timeColumn } from '../database/columns.js';

/** A signed-in staff session, kept in the database so every instance behind a load balancer knows it. */
@Entity('staff_session')
export class StaffSession {
  /** SHA-256 of the cookie's token: a leaked table grants no session. */
  @PrimaryColumn({ name: 'id', type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'user_id', type: 'int' })
  userId: number;

  @Column({ name: 'csrf_token', type: 'varchar', length: 64 })
  csrfToken: string;

  @Column(timeColumn('created_at'))
  createdAt: Date;

  @Column(timeColumn('expires_at'))
  expiresAt: Date;

  @Column(timeColumn('last_seen_at'))
  lastSeenAt: Date;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;
}
