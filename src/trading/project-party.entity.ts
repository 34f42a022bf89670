import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Project } from './project.entity.js';

/** 招标人/采购人/出让方 and 代理机构 of a project, identified by their unified social credit code. */
@Entity('project_party')
export class ProjectParty {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'project_id', type: 'varchar', length: 80 })
  projectId: string;

  @ManyToOne(() => Project, (p) => p.parties, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project: Relation<Project>;

  @Column({ type: 'varchar', length: 16 })
  role: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'credit_code', type: 'varchar', length: 18 })
  creditCode: string;

  @Column({ type: 'varchar', length: 300, nullable: true })
  address: string | null;

  @Column({ name: 'contact_name', type: 'varchar', length: 50, nullable: true })
  contactName: string | null;

  /** An organisation's published contact number (a bidder's personal number is never stored here). */
  @Column({ name: 'contact_phone', type: 'varchar', length: 50, nullable: true })
  contactPhone: string | null;
}
