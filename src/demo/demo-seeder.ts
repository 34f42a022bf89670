import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { SYSTEM_ACTOR, type Actor } from '../auth/actor.js';
import { StaffUser } from '../auth/staff-user.entity.js';
import { StaffUsersService } from '../auth/staff-users.service.js';
import { Clock } from '../common/clock.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { Database } from '../database/database.js';
import { DisclosureService } from '../disclosure/disclosure.service.js';
import { seedDisclosureRequests } from './disclosure-requests.js';
import { seedAnnualReports } from './annual-reports.js';
import { ReportsService } from '../reports/reports.service.js';
import { forUpdate } from '../database/dialect.js';
import { AppError } from '../http/app-error.js';
import { validatePlain } from '../http/validation.js';
import { CreateProjectDto } from '../publishing/dto.js';
import { ProjectsService } from '../publishing/projects.service.js';
import { PublishingService } from '../publishing/publishing.service.js';
import { CalendarService } from '../trading/calendar.service.js';
import { IntegrityIndex } from '../trading/integrity-index.js';
import { Notice } from '../trading/notice.entity.js';
import { Project } from '../trading/project.entity.js';
import { DEMO_ACCOUNTS } from './demo-accounts.js';
import { generateDemoData, publicationOrder } from './demo-data.js';
import type { DemoNotice, DemoProject } from './demo-project.js';

const MINUTE = 60_000;
/** Consecutive notices published in one transaction. */
const PUBLISH_BATCH = 25;

interface DemoStaff {
  clerks: Actor[];
  reviewer: Actor;
}

/**
 * Loads the demo staff accounts and the demo data into an empty database on start-up, when SEED_DEMO is on.
 * Everything goes through the services staff use (so it is validated, audited and logged like real work),
 * except that publication neither checks the timing rules (see lawful-timing.ts) nor enters the outbox.
 */
@Injectable()
export class DemoSeeder implements OnApplicationBootstrap {
  private readonly logger = new Logger('demo-data');

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly users: StaffUsersService,
    private readonly projects: ProjectsService,
    private readonly publishing: PublishingService,
    private readonly calendar: CalendarService,
    private readonly integrity: IntegrityIndex,
    private readonly disclosure: DisclosureService,
    private readonly reports: ReportsService,
  ) {}

  async onApplicationBootstrap() {
    if (!this.config.seedDemo || !(await this.isEmpty())) return;
    const started = Date.now();
    const staff = await this.createAccounts();
    if (!staff) return;
    const data = generateDemoData(this.clock.now(), await this.calendar.load());
    const projectIds = await this.createProjects(data, staff);
    const notices = await this.publishAll(data, projectIds, staff);
    // The cohort flags (narrow-margin, wide-discount) are the job's work; done once here, so a fresh start shows them.
    await this.integrity.recomputeCohorts();
    const requests = await this.seedDisclosure(staff);
    // After the requests, so that last year's report counts them.
    const reports = await seedAnnualReports(this.reports, staff.clerks[0], staff.reviewer);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    this.logger.log(
      `demo data loaded: ${DEMO_ACCOUNTS.length} staff accounts, ${data.length} projects, ${notices} published notices, ${requests} disclosure requests, ${reports} yearly reports in ${seconds} s`,
    );
  }

  /** Requests for disclosure; none when the calendar lacks a year the dates cross (the clock refuses to guess). */
  private async seedDisclosure(staff: DemoStaff): Promise<number> {
    try {
      return await seedDisclosureRequests(
        this.disclosure,
        await this.calendar.load(),
        this.clock.now(),
        staff.clerks[0],
      );
    } catch (e) {
      if ((e as { code?: string }).code !== 'calendar.year-missing') throw e;
      this.logger.warn(`no demo disclosure requests: ${(e as Error).message}`);
      return 0;
    }
  }

  /** Demo data goes only into a database nobody has used yet: no projects and no staff. */
  private async isEmpty(): Promise<boolean> {
    const [projects, staff] = await Promise.all([this.db.manager.count(Project), this.db.manager.count(StaffUser)]);
    return projects === 0 && staff === 0;
  }

  /** The demo accounts, or null when another instance starting at the same moment got there first. */
  private async createAccounts(): Promise<DemoStaff | null> {
    const actors: Actor[] = [];
    for (const account of DEMO_ACCOUNTS) {
      try {
        const user = await this.users.createUser(SYSTEM_ACTOR, account);
        actors.push({
          userId: user.id,
          username: user.username,
          displayName: user.displayName,
          role: user.role,
          via: 'demo-seed',
          ip: null,
        });
      } catch (e) {
        if (e instanceof AppError && e.code === 'conflict.username-taken' && actors.length === 0) {
          this.logger.log('demo data skipped: another instance is loading it');
          return null;
        }
        throw e;
      }
    }
    return { clerks: actors.filter((a) => a.role === 'clerk'), reviewer: actors.find((a) => a.role === 'reviewer')! };
  }

  private async createProjects(data: DemoProject[], staff: DemoStaff): Promise<string[]> {
    const ids: string[] = [];
    await inParallel(
      data.map((p, i) => ({ ...p, i })),
      async ({ dto, i }) => {
        // The HTTP pipe validates what staff submit; do the same here.
        const { value, errors } = await validatePlain(CreateProjectDto, dto, 'project');
        if (errors.length) throw new Error(`demo project “${dto.name}” is invalid: ${JSON.stringify(errors)}`);
        ids[i] = (await this.projects.create(staff.clerks[i % staff.clerks.length], value)).id;
      },
    );
    return ids;
  }

  /**
   * Drafts and publishes every notice in order of publication, so the publication log runs forward in time.
   * Drafts are written first, several at a time (a correction or withdrawal only once its target is
   * published), and published in batches of consecutive notices, one transaction per batch.
   */
  private async publishAll(data: DemoProject[], projectIds: string[], staff: DemoStaff): Promise<number> {
    const order = publicationOrder(data);
    const draftIds = data.map(() => new Map<string, string>());
    const draft = async ({ project, notice }: Scheduled) => {
      const created = await this.publishing
        .createDraft(staff.clerks[project % staff.clerks.length], {
          projectId: projectIds[project],
          type: notice.type,
          title: notice.title,
          body: notice.body,
          details: notice.details,
          targetNoticeId: notice.target ? draftIds[project].get(notice.target) : undefined,
        })
        .catch((e: unknown) => {
          throw new Error(
            `demo notice “${notice.title}” was refused: ${e instanceof AppError ? `${e.message} ${JSON.stringify(e.fields)}` : String(e)}`,
          );
        });
      draftIds[project].set(notice.key, created.id);
    };
    await inParallel(
      order.filter((s) => !s.notice.target),
      draft,
    );

    const firstOfProject = new Set(data.map((p) => p.notices[0]));
    let batch: Scheduled[] = [];
    const flush = async () => {
      if (batch.length) await this.publishBatch(batch, projectIds, draftIds, firstOfProject, staff);
      batch = [];
    };
    for (const scheduled of order) {
      if (scheduled.notice.target) {
        await flush();
        await draft(scheduled);
      }
      batch.push(scheduled);
      if (batch.length === PUBLISH_BATCH) await flush();
    }
    await flush();
    return order.length;
  }

  private async publishBatch(
    batch: Scheduled[],
    projectIds: string[],
    draftIds: Map<string, string>[],
    firstOfProject: Set<DemoNotice>,
    staff: DemoStaff,
  ) {
    await this.db.transaction(async (em) => {
      for (const { project, notice } of batch) {
        const id = draftIds[project].get(notice.key)!;
        const locked = await forUpdate(
          em.createQueryBuilder(Notice, 'n').where('n.id = :id', { id }),
          this.db.dialect,
        ).getOneOrFail();
        const at = notice.publishedAt.getTime();
        // Dated like the real workflow: drafted by a clerk, submitted, approved by the reviewer at publication.
        Object.assign(locked, {
          status: 'approved',
          createdAt: new Date(at - 150 * MINUTE),
          submittedAt: new Date(at - 90 * MINUTE),
          reviewerId: staff.reviewer.userId,
          reviewedAt: notice.publishedAt,
        });
        if (firstOfProject.has(notice))
          await em.update(Project, { id: projectIds[project] }, { createdAt: new Date(at - 26 * 60 * MINUTE) });
        await this.publishing.publishLocked(em, locked, SYSTEM_ACTOR, notice.publishedAt, {
          pushUpstream: false,
          checkTiming: false,
        });
      }
    });
  }
}

type Scheduled = ReturnType<typeof publicationOrder>[number];

/** Runs `work` on every item, a few at a time (MySQL serves them on several connections; SQLite queues them). */
async function inParallel<T>(items: T[], work: (item: T) => Promise<void>, concurrency = 6): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}
