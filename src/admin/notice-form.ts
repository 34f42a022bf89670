import type { FieldError } from '../http/app-error.js';
import { AppError } from '../http/app-error.js';
import { validatePlain } from '../http/validation.js';
import { NoticeDraftDto, UpdateNoticeDraftDto } from '../publishing/dto.js';
import { validateDetails } from '../publishing/notice-validation.js';
import { noticeTypeBySlug } from '../domain/catalog.js';
import type { TimingViolation } from '../domain/timing-rules.js';
import type { Notice } from '../trading/notice.entity.js';
import type { Project } from '../trading/project.entity.js';
import { type FieldSpec, readForm, viewForm } from './form-schema.js';
import { noticeDetailSpecs, noticeHeadSpecs } from './notice-forms.js';

/** What a notice form depends on: its type, its project (lots), and for corrections/withdrawals the targets. */
export interface NoticeFormContext {
  type: string;
  project: Project;
  /** Published notices a correction or withdrawal may concern; null for other types. */
  targets: Notice[] | null;
  /** Editing an existing draft: the target is fixed then. */
  editing: boolean;
}

export interface NoticeInput {
  title?: string;
  body?: string;
  targetNoticeId?: string;
  details: Record<string, unknown>;
}

function specs(ctx: NoticeFormContext): { head: FieldSpec[]; details: FieldSpec[] } {
  const targets =
    ctx.targets && !ctx.editing
      ? ctx.targets.map((n) => ({ value: n.id, label: `${n.title}（${noticeTypeBySlug(n.type)?.name ?? n.type}）` }))
      : null;
  const lots = (ctx.project.lots ?? []).map((l) => ({ value: l.code, label: `${l.code} ${l.name}` }));
  return { head: noticeHeadSpecs(targets), details: noticeDetailSpecs(ctx.type, lots) };
}

/** The posted form as the input of createDraft/updateDraft. */
export function readNoticeForm(ctx: NoticeFormContext, body: unknown): NoticeInput {
  const { head, details } = specs(ctx);
  return { ...readForm(head, body), details: readForm(details, body, 'details') } as NoticeInput;
}

/** Every problem of the input at once (the title's and the details'), by field path; empty when valid. */
export async function checkNoticeInput(ctx: NoticeFormContext, input: NoticeInput): Promise<FieldError[]> {
  const whole = ctx.editing
    ? { title: input.title, body: input.body ?? '', details: input.details }
    : {
        projectId: ctx.project.id,
        type: ctx.type,
        title: input.title,
        body: input.body ?? '',
        details: input.details,
        targetNoticeId: input.targetNoticeId,
      };
  const { errors } = await validatePlain<object>(ctx.editing ? UpdateNoticeDraftDto : NoticeDraftDto, whole, '');
  const problems = errors.filter((e) => !e.field.startsWith('details'));
  if (ctx.editing && input.title === undefined) problems.push({ field: 'title', message: '必填' });
  if (ctx.targets && !ctx.editing && !input.targetNoticeId)
    problems.push({ field: 'targetNoticeId', message: '请选择针对的已发布公告' });
  try {
    await validateDetails(ctx.type, input.details);
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    problems.push(...e.fields);
  }
  return problems;
}

/** The form's page data: fields with values and errors, the error summary, and the timing rules it broke. */
export function noticeFormView(
  ctx: NoticeFormContext,
  values: NoticeInput,
  errors: FieldError[],
  addRows: string | null = null,
  violations: TimingViolation[] = [],
) {
  const { head, details } = specs(ctx);
  const headView = viewForm(
    head,
    values as unknown as Record<string, unknown>,
    errors.filter((e) => !e.field.startsWith('details')),
  );
  const detailView = viewForm(
    details,
    values.details ?? {},
    errors.filter((e) => e.field.startsWith('details')),
    'details',
    addRows,
  );
  // A broken timing rule also marks the date it concerns, where the form has that field.
  for (const v of violations) {
    const input = detailView.fields.find((f) => f.name === `details.${v.to.fact}`);
    if (input) input.error = input.error ? `${input.error}；${v.message}` : v.message;
  }
  return {
    head: headView.fields,
    details: detailView.fields,
    summary: [...headView.summary, ...detailView.summary],
    violations,
  };
}

/** The violations carried by a 422 from the timing rules, or null for any other error. */
export function timingViolations(e: unknown): TimingViolation[] | null {
  return e instanceof AppError && e.code === 'timing.violation'
    ? ((e.details as { violations?: TimingViolation[] })?.violations ?? [])
    : null;
}
