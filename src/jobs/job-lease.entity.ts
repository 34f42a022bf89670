import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timeColumn } from '../database/columns.js';

/** Which instance runs a scheduled job, until when. Taken and renewed by conditional UPDATE/INSERT (JobLeases). */
@Entity('job_lease')
export class JobLease {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  name: string;

  @Column({ type: 'varchar', length: 128 })
  holder: string;

  /** Database time (UTC); past it, any instance may take the lease over. */
  @Column(timeColumn('expires_at'))
  expiresAt: Date;

  @Column(timeColumn('acquired_at'))
  acquiredAt: Date;
}
