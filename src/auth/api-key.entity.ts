import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { timeColumn } from '../database/columns.js';

/** A machine client's key. It acts as the staff user who owns it; only its SHA-256 is stored. */
@Entity('api_key')
export class ApiKey {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'user_id', type: 'int' })
  userId: number;

  @Column({ type: 'varchar', length: 100 })
  name: string;

  /** The first characters of the key, shown to staff so they can tell keys apart. */
  @Column({ type: 'varchar', length: 16 })
  prefix: string;

  @Column({ name: 'key_hash', type: 'varchar', length: 64 })
  keyHash: string;

  @Column(timeColumn('created_at'))
  createdAt: Date;

  @Column(timeColumn('revoked_at', { nullable: true }))
  revokedAt: Date | null;

  @Column(timeColumn('last_used_at', { nullable: true }))
  lastUsedAt: Date | null;
}
