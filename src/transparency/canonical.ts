import { createHash } from 'node:crypto';
import { chinaDateTimeIso } from '../domain/china-time.js';

/**
 * Canonical public content of a notice, defined once so anyone can recompute its hash from the public JSON:
 * the JSON object below with keys sorted at every level, no whitespace, strings as JSON.stringify writes them,
 * UTF-8; the hash is lowercase hex SHA-256 of those bytes. See README "Transparency log".
 */
export interface CanonicalNotice {
  id: string;
  projectId: string;
  type: string;
  title: string;
  body: string;
  details: unknown;
  targetNoticeId: string | null;
  publishedAt: string;
  sourcePlatform: string;
}

/** The fields of the canonical content, as they are named in the public JSON of a notice (/api/v1/notices/{id}). */
export const CANONICAL_FIELDS = [
  'id',
  'projectId',
  'type',
  'title',
  'body',
  'details',
  'targetNoticeId',
  'publishedAt',
  'sourcePlatform',
] as const;

/** The content hash of a notice from its public JSON: what a verifier recomputes. */
export function publicContentHash(json: Record<string, unknown>): string {
  return sha256Hex(canonicalJson(Object.fromEntries(CANONICAL_FIELDS.map((f) => [f, json[f] ?? null]))));
}

export function canonicalNotice(n: {
  id: string;
  projectId: string;
  type: string;
  title: string;
  body: string;
  details: unknown;
  targetNoticeId: string | null;
  publishedAt: Date;
  sourcePlatform: string;
}): CanonicalNotice {
  return {
    id: n.id,
    projectId: n.projectId,
    type: n.type,
    title: n.title,
    body: n.body,
    details: n.details,
    targetNoticeId: n.targetNoticeId,
    publishedAt: chinaDateTimeIso(n.publishedAt),
    sourcePlatform: n.sourcePlatform,
  };
}

export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

export const contentHash = (n: Parameters<typeof canonicalNotice>[0]) => sha256Hex(canonicalJson(canonicalNotice(n)));

/**
 * An entry's hash covers its position, its time, what it records and the previous entry's hash. An annual-report
 * entry has no notice: its noticeId is null (canonical `null`), and its contentHash is that of the frozen report.
 */
export function entryHash(e: {
  seq: number;
  kind: string;
  noticeId: string | null;
  recordedAt: Date;
  contentHash: string;
  prevHash: string;
}) {
  return publicEntryHash({ ...e, recordedAt: chinaDateTimeIso(e.recordedAt) });
}

/** The same hash from an entry as the log API serves it (recordedAt already in +08:00 form). */
export function publicEntryHash(e: {
  seq: number;
  kind: string;
  noticeId: string | null;
  recordedAt: string;
  contentHash: string;
  prevHash: string;
}) {
  return sha256Hex(
    canonicalJson({
      seq: e.seq,
      kind: e.kind,
      noticeId: e.noticeId,
      recordedAt: e.recordedAt,
      contentHash: e.contentHash,
      prevHash: e.prevHash,
    }),
  );
}

/**
 * The log entry kind of a published yearly disclosure report. Its contentHash is the SHA-256 of the report's frozen
 * canonical JSON, served byte for byte at annualReportContentPath(reportYear); its noticeId is null.
 */
export const ANNUAL_REPORT_KIND = 'annual-report';

export const annualReportContentPath = (year: number) => `/reports/annual/${year}.json`;

/** The first entry's prevHash. */
export const GENESIS_HASH = '0'.repeat(64);

/** What a checkpoint signs (Ed25519, over these UTF-8 bytes): the log's head at `seq`, on this platform, at `time`. */
export function checkpointStatement(c: { platform: string; seq: number; hash: string; time: string }): string {
  return canonicalJson({ platform: c.platform, seq: c.seq, hash: c.hash, time: c.time });
}
