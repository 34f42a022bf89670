import { Column, Entity, OneToMany, PrimaryColumn, type Relation } from 'typeorm';
import { bigintColumn, fenColumn, textColumn, timeColumn } from '../database/columns.js';
import { ProjectLot } from './project-lot.entity.js';
import { ProjectParty } from './project-party.entity.js';

/** A transaction (交易项目) named for its whole life by its unified deal code (统一交易标识码). */
@Entity('project')
export class Project {
  @PrimaryColumn({ type: 'varchar', length: 80 })
  id: string;

  @Column({ name: 'deal_code', type: 'varchar', length: 64 })
  dealCode: string;

  @Column({ name: 'tender_code', type: 'varchar', length: 64 })
  tenderCode: string;

  @Column({ name: 'investment_code', type: 'varchar', length: 64, nullable: true })
  investmentCode: string | null;

  @Column({ type: 'varchar', length: 32 })
  category: string;

  @Column({ name: 'region_code', type: 'varchar', length: 6 })
  regionCode: string;

  @Column({ type: 'varchar', length: 300 })
  name: string;

  @Column(textColumn('summary', { nullable: true }))
  summary: string | null;

  /** What priceFen means: a procurement/tender budget (预算) or a transfer reserve price (底价/起始价). */
  @Column({ name: 'price_kind', type: 'varchar', length: 16 })
  priceKind: 'budget' | 'reserve' | 'none';

  @Column(fenColumn('price_fen'))
  priceFen: bigint | null;

  @Column({ name: 'price_unit', type: 'varchar', length: 8 })
  priceUnit: string;

  @Column({ name: 'procurement_method', type: 'varchar', length: 32, nullable: true })
  procurementMethod: string | null;

  @Column({ name: 'transfer_mode', type: 'varchar', length: 32, nullable: true })
  transferMode: string | null;

  @Column({ name: 'funding_source', type: 'varchar', length: 200, nullable: true })
  fundingSource: string | null;

  /** 全流程电子化交易: counted in the yearly disclosure statistics. */
  @Column({ name: 'fully_online', type: 'boolean', default: true })
  fullyOnline: boolean;

  /** 交易平台标识码 of the platform the project came from. */
  @Column({ name: 'source_platform', type: 'varchar', length: 24 })
  sourcePlatform: string;

  @Column({ name: 'created_by', type: 'int', nullable: true })
  createdBy: number | null;

  @Column(timeColumn('created_at'))
  createdAt: Date;

  @Column(timeColumn('updated_at'))
  updatedAt: Date;

  // Derived from the published notices (announcement and its corrections); kept for filtering and sorting.
  @Column(timeColumn('bid_deadline', { nullable: true }))
  bidDeadline: Date | null;

  @Column(timeColumn('opening_time', { nullable: true }))
  openingTime: Date | null;

  @Column(timeColumn('first_published_at', { nullable: true }))
  firstPublishedAt: Date | null;

  @Column(timeColumn('terminated_at', { nullable: true }))
  terminatedAt: Date | null;

  @Column(bigintColumn('version', { default: 1 }))
  version: number;

  @OneToMany(() => ProjectParty, (p) => p.project, { cascade: true })
  parties: Relation<ProjectParty[]>;

  @OneToMany(() => ProjectLot, (l) => l.project, { cascade: true })
  lots: Relation<ProjectLot[]>;
}
