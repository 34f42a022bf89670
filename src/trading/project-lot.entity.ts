import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { fenColumn } from '../database/columns.js';
import { Project } from './project.entity.js';

/** 标段(包): a lot or section of a project, with its own code and budget. */
@Entity('project_lot')
export class ProjectLot {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'project_id', type: 'varchar', length: 80 })
  projectId: string;

  @ManyToOne(() => Project, (p) => p.lots, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'project_id' })
  project: Relation<Project>;

  @Column({ type: 'varchar', length: 64 })
  code: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column(fenColumn('price_fen'))
  priceFen: bigint | null;

  @Column({ name: 'price_unit', type: 'varchar', length: 8 })
  priceUnit: string;
}
