import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { timeColumn } from '../database/columns.js';

/** A file attached to a notice. Its bytes are in notice_attachment_chunk, so every instance serves it. */
@Entity('notice_attachment')
export class NoticeAttachment {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'notice_id', type: 'varchar', length: 80 })
  noticeId: string;

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType: string;

  @Column({ name: 'size_bytes', type: 'int' })
  size: number;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column(timeColumn('created_at'))
  createdAt: Date;

  @Column({ name: 'created_by', type: 'int', nullable: true })
  createdBy: number | null;
}

/** One piece of an attachment's bytes: small enough for one MySQL packet whatever the file's size. */
@Entity('notice_attachment_chunk')
export class NoticeAttachmentChunk {
  @PrimaryColumn({ name: 'attachment_id', type: 'int' })
  attachmentId: number;

  @PrimaryColumn({ type: 'int' })
  seq: number;

  @Column({ type: 'blob' })
  data: Buffer;
}
