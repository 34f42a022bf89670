import { Injectable } from '@nestjs/common';

/** The time source, injected so tests can fix "now" (publication dates, deadlines, sessions). */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }
}

/** A clock tests move by hand. */
export class FixedClock extends Clock {
  constructor(private current: Date) {
    super();
  }
  override now(): Date {
    return new Date(this.current.getTime());
  }
  set(date: Date) {
    this.current = date;
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}
