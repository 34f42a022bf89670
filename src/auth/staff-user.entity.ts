import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { timeColumn } from '../database/columns.js';

export type StaffRole = 'clerk' | 'reviewer' | 'admin';
export const STAFF_ROLES: Record<StaffRole, string> = { clerk: '录入员', reviewer: '审核员', admin: '管理员' };

@Entity('staff_user')
export class StaffUser {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 64 })
  username: string;

  @Column({ name: 'display_name', type: 'varchar', length: 100 })
  displayName: string;

  @Column({ type: 'varchar', length: 16 })
  role: StaffRole;

  /** argon2id PHC string. */
  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column(timeColumn('created_at'))
  createdAt: Date;

  @Column(timeColumn('updated_at'))
  updatedAt: Date;
}
