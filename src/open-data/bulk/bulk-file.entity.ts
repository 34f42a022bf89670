import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timeColumn } from '../../database/columns.js';

/** One daily bulk file; its bytes live in the database so every instance behind a load balancer serves them. */
@Entity('bulk_file')
export class BulkFile {
  /** changes-2026-11-24.jsonl.gz, notices-2026-11-24.csv.gz */
  @PrimaryColumn({ type: 'varchar', length: 80 })
  name: string;

  /** The China Standard Time day the file covers (YYYY-MM-DD). */
  @Column({ type: 'varchar', length: 10 })
  day: string;

  @Column({ type: 'varchar', length: 16 })
  kind: 'changes' | 'notices';

  @Column({ name: 'content_type', type: 'varchar', length: 64 })
  contentType: string;

  @Column({ type: 'blob', select: false })
  bytes: Buffer;

  @Column({ type: 'int' })
  size: number;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  /** Change-feed entries or notices in the file. */
  @Column({ type: 'int' })
  items: number;

  @Column(timeColumn('created_at'))
  createdAt: Date;
}
