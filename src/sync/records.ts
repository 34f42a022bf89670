import { changeEntry, type ChangeEntry } from '../open-data/api/changes.service.js';
import { publicProject, type PublicLinks } from '../open-data/public-json.js';
import { prefixedId } from '../trading/ids.js';
import type { Notice } from '../trading/notice.entity.js';
import type { Project } from '../trading/project.entity.js';
import type { NoticeLogEntry } from '../transparency/publication-log.entity.js';
import type { CheckpointView } from '../transparency/transparency.service.js';

/**
 * What travels between platforms. A push of a notice is the item a consumer of our change feed
 * (/api/v1/changes) sees for that log entry, plus the sender's platform code and latest signed checkpoint; a push
 * of a project is the project's public JSON (/api/v1/projects/{id}). So push and pull carry one format, the open
 * data's, and the receiver recomputes the notice's content hash from exactly what it received.
 */
export type SyncMessage =
  | (ChangeEntry & { platform: string; checkpoint: CheckpointView | null })
  | {
      platform: string;
      kind: 'project';
      recordedAt: string;
      projectId: string;
      project: ReturnType<typeof publicProject>;
      checkpoint: CheckpointView | null;
    };

export const projectMessage = (
  platform: string,
  recordedAt: string,
  project: Project,
  links: PublicLinks,
  checkpoint: CheckpointView | null,
): SyncMessage => ({
  platform,
  kind: 'project',
  recordedAt,
  projectId: project.id,
  project: publicProject(project, links),
  checkpoint,
});

export const noticeMessage = (
  platform: string,
  entry: NoticeLogEntry,
  notice: Notice,
  project: Project,
  links: PublicLinks,
  checkpoint: CheckpointView | null,
): SyncMessage => ({ platform, ...changeEntry(entry, notice, project, links), checkpoint });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const objectOr = (v: unknown) => (isObject(v) ? v : {});
const pick = (o: Record<string, unknown>, keys: string[]) =>
  Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));

/** A project's public JSON as the staff API's project input (ProjectRecordDto), to be validated as such. */
export function projectInput(json: unknown): Record<string, unknown> {
  const p = objectOr(json);
  const amount = (a: unknown) => (isObject(a) ? pick(a, ['value', 'unit']) : a);
  return {
    ...pick(p, [
      'id',
      'sourcePlatform',
      'dealCode',
      'tenderCode',
      'investmentCode',
      'category',
      'name',
      'summary',
      'procurementMethod',
      'transferMode',
      'fundingSource',
      'fullyOnline',
    ]),
    regionCode: objectOr(p.region).code,
    price: isObject(p.price) ? pick(p.price, ['kind', 'value', 'unit']) : p.price,
    parties: Array.isArray(p.parties)
      ? p.parties.map((x) =>
          isObject(x) ? pick(x, ['role', 'name', 'creditCode', 'address', 'contactName', 'contactPhone']) : x,
        )
      : p.parties,
    lots: Array.isArray(p.lots)
      ? p.lots.map((x) => (isObject(x) ? { ...pick(x, ['code', 'name']), budget: amount(x.budget) } : x))
      : p.lots,
  };
}

/** A notice's public JSON as the staff API's notice input plus what publication fixed (NoticeRecordDto). */
export function noticeInput(json: unknown): Record<string, unknown> {
  const n = objectOr(json);
  return pick(n, [
    'id',
    'sourcePlatform',
    'sourceId',
    'projectId',
    'type',
    'title',
    'body',
    'details',
    'targetNoticeId',
    'publishedAt',
    'contentHash',
  ]);
}

/**
 * Stored details back to the staff API's input: the derived `yuan` of each amount or price goes (the receiver
 * derives it again from value and unit). Everything else is already valid input.
 */
export function detailsAsInput(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(detailsAsInput);
  if (!isObject(value)) return value;
  const isAmount = typeof value.value === 'string' && typeof value.unit === 'string';
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !(isAmount && k === 'yuan'))
      .map(([k, v]) => [k, detailsAsInput(v)]),
  );
}

/**
 * The local id of a record from another platform: its source's id behind the source's platform code, unless
 * the source already minted it that way (this software does), so an id stays the same from county to nation.
 */
export function importedId(sourcePlatform: string, sourceId: string): string {
  return sourceId.startsWith(`${sourcePlatform}-`) ? sourceId : prefixedId(sourcePlatform, sourceId);
}
