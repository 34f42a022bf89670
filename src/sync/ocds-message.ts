import { encodeChangeCursor } from '../open-data/api/change-cursor.js';
import type { OcdsService } from '../open-data/ocds/ocds.service.js';

/** Why an OCDS upstream is sent nothing for a project's own outbox entry (kept on the entry, shown to staff). */
export const OCDS_NO_PROJECT_RECORD = 'OCDS 格式没有单独的项目记录，无需发送：项目信息随其首条公告的 release 送达';

/**
 * The body pushed to an OCDS upstream for one publication-log entry: the release package /api/ocds/releases
 * serves for exactly that entry (`after` the seq before it, `limit` 1), built by the same code. So its release
 * is the one the public feed carries, and its `uri` answers with the same package.
 */
export async function ocdsReleasePackage(ocds: OcdsService, seq: number, noticeId: string) {
  const page = (await ocds.releasePage({ after: encodeChangeCursor(seq - 1), limit: '1' })).package;
  if (page?.releases.length !== 1 || page.releases[0].id !== noticeId) {
    throw new Error(`发布日志第 ${seq} 条的 OCDS release 不是公告 ${noticeId} 的`);
  }
  return page;
}
