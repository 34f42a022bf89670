import type { CreateProjectDto } from '../publishing/dto.js';
import { chinaDate } from '../domain/china-time.js';
import type { NoticeTypeSlug } from '../domain/catalog.js';
import type { DemoDays } from './days.js';
import type { Random } from './random.js';

/** One demo notice, as a clerk would draft it, and when it was published. */
export interface DemoNotice {
  /** Unique within its project; corrections and withdrawals name their target by it. */
  key: string;
  type: NoticeTypeSlug;
  title: string;
  body: string;
  /** The type's details as a form submits them (see trading/notice-details.ts). */
  details: Record<string, unknown>;
  publishedAt: Date;
  target?: string;
}

export interface DemoProject {
  dto: CreateProjectDto;
  notices: DemoNotice[];
}

export interface DemoContext {
  days: DemoDays;
  rng: Random;
  /** Running number of the project within its category, for its codes. */
  serial: number;
}

/**
 * A project's notices in the order of its life. A project gets only as far as today allows: the first notice
 * whose day has not yet come ends the trail, so a project whose bid opening is next week has only its tender
 * notice, and one opened a month ago may have reached its contract.
 */
export class Trail {
  readonly notices: DemoNotice[] = [];
  private ended = false;

  constructor(private readonly days: DemoDays) {}

  add(notice: DemoNotice): boolean {
    if (this.ended || chinaDate(notice.publishedAt) >= this.days.today) {
      this.ended = true;
      return false;
    }
    this.notices.push(notice);
    return true;
  }

  /** A withdrawal of the notice `target`, with its reason. */
  withdraw(key: string, target: string, reason: string, publishedAt: Date): boolean {
    const withdrawn = this.notices.find((n) => n.key === target)!;
    return this.add({
      key,
      type: 'withdrawal',
      title: `关于撤回《${withdrawn.title}》的声明`,
      body: `本中心于${formatShort(withdrawn.publishedAt)}发布的《${withdrawn.title}》现予撤回。\n撤回原因：${reason}\n原公告页面保留并标注“已撤回”，特此声明。`,
      details: { reason },
      publishedAt,
      target,
    });
  }
}

function formatShort(d: Date): string {
  const [y, m, day] = chinaDate(d).split('-').map(Number);
  return `${y}年${m}月${day}日`;
}
