import type { AppConfig } from '../config/config.js';
import type { AttachmentView } from '../attachments/attachments.service.js';
import type { Notice } from '../trading/notice.entity.js';
import type { Project } from '../trading/project.entity.js';
import type { ClockWatch } from '../http/conditional.js';
import {
  detailsView,
  noticeHref,
  noticeRow,
  paragraphs,
  projectSummary,
  trailView,
  withdrawalView,
} from './notice-view.js';
import { qrSvg } from './qr.js';

/**
 * The model of the public notice page (views/notice.hbs). The staff preview renders the same model, so the
 * preview is the public page.
 */
export async function noticePageModel(
  notice: Notice,
  project: Project,
  trail: Notice[],
  watch: ClockWatch,
  config: AppConfig,
  attachments: AttachmentView[],
) {
  const pageUrl = `${config.publicBaseUrl}${noticeHref(notice.id)}`;
  const ocid = `${config.ocidPrefix}${project.dealCode}`;
  return {
    title: notice.title,
    notice: {
      ...noticeRow(notice),
      paragraphs: paragraphs(notice.body),
      contentHash: notice.contentHash,
      logSeq: notice.logSeq,
      sourcePlatform: notice.sourcePlatform,
    },
    details: detailsView(notice, project, trail, watch),
    withdrawal: withdrawalView(notice, trail),
    project: projectSummary(project),
    trail: trailView(trail, notice.id),
    // Records received from a county or peer platform say where they came from.
    source: { code: notice.sourcePlatform, local: notice.sourcePlatform === config.platformCode },
    attachments: attachments.map((a) => ({ ...a, sizeText: sizeText(a.size) })),
    pageUrl,
    qr: await qrSvg(pageUrl, `本页地址的二维码：${pageUrl}`),
    links: {
      json: `/api/v1/notices/${encodeURIComponent(notice.id)}`,
      ocds: `/api/ocds/records/${encodeURIComponent(ocid)}`,
    },
    ocid,
  };
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
