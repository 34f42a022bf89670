import { Column, Entity, PrimaryColumn } from 'typeorm';
import { jsonColumn, timeColumn } from '../database/columns.js';

/** A statutory timing rule as administrators maintain it (defaults in domain/timing-rules.ts). */
@Entity('timing_rule')
export class TimingRuleRow {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  label: string;

  @Column({ type: 'varchar', length: 200 })
  basis: string;

  @Column(jsonColumn('families'))
  families: string[];

  @Column(jsonColumn('categories'))
  categories: string[];

  @Column(jsonColumn('notice_types'))
  noticeTypes: string[];

  @Column(jsonColumn('methods'))
  methods: string[];

  @Column({ name: 'from_fact', type: 'varchar', length: 40 })
  from: string;

  @Column({ name: 'to_fact', type: 'varchar', length: 40 })
  to: string;

  @Column({ type: 'varchar', length: 16 })
  comparison: 'at-least' | 'within';

  @Column({ type: 'int' })
  amount: number;

  @Column({ type: 'varchar', length: 16 })
  unit: 'calendar-days' | 'working-days';

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column(timeColumn('updated_at'))
  updatedAt: Date;
}
