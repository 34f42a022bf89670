import { Column, Entity, PrimaryColumn } from 'typeorm';
import { bigintColumn, textColumn, timeColumn } from '../database/columns.js';

/** Failed sign-ins counted per account ("user:<name>") and per address ("ip:<addr>"), shared by every instance. */
@Entity('login_throttle')
export class LoginThrottleRow {
  @PrimaryColumn({ name: 'throttle_key', type: 'varchar', length: 160 })
  key: string;

  @Column({ type: 'int' })
  failures: number;

  @Column(timeColumn('window_start'))
  windowStart: Date;

  @Column(timeColumn('locked_until', { nullable: true }))
  lockedUntil: Date | null;
}

/** A staff member's TOTP secret (RFC 6238); in use once confirmed with a first code. */
@Entity('staff_second_factor')
export class StaffSecondFactor {
  @PrimaryColumn({ name: 'user_id', type: 'int' })
  userId: number;

  /** Base32, as shown to the user at enrolment. */
  @Column({ type: 'varchar', length: 64 })
  secret: string;

  @Column(timeColumn('created_at'))
  createdAt: Date;

  @Column(timeColumn('confirmed_at', { nullable: true }))
  confirmedAt: Date | null;

  /** The last time step accepted: a code is never accepted twice. */
  @Column(bigintColumn('last_step', { nullable: true }))
  lastStep: number | null;
}

/** A sign-in whose password was right and whose second factor is still to come. Only its token's SHA-256 is kept. */
@Entity('staff_login_challenge')
export class LoginChallenge {
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id: string;

  @Column({ name: 'user_id', type: 'int' })
  userId: number;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column(timeColumn('expires_at'))
  expiresAt: Date;
}

/** Settings administrators change at run time (JSON values). */
@Entity('app_setting')
export class AppSetting {
  @PrimaryColumn({ name: 'setting_key', type: 'varchar', length: 100 })
  key: string;

  @Column(textColumn('value'))
  value: string;

  @Column(timeColumn('updated_at'))
  updatedAt: Date;
}
