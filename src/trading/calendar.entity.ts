import { Column, Entity, PrimaryColumn } from 'typeorm';
import { timeColumn } from '../database/columns.js';

/** A year whose official holiday arrangement (国务院办公厅放假安排) has been loaded. */
@Entity('calendar_year')
export class CalendarYear {
  @PrimaryColumn({ type: 'int' })
  year: number;

  @Column({ type: 'varchar', length: 200 })
  source: string;

  @Column(timeColumn('loaded_at'))
  loadedAt: Date;
}

/** A public holiday, or a weekend day made a working day (调休上班). Unlisted days follow the week. */
@Entity('calendar_day')
export class CalendarDay {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  date: string;

  @Column({ type: 'varchar', length: 16 })
  kind: 'holiday' | 'workday';

  @Column({ type: 'varchar', length: 100 })
  name: string;

  @Column({ type: 'varchar', length: 200 })
  source: string;
}
