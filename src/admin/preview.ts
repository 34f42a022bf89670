import type { Response } from 'express';
import type { AppConfig } from '../config/config.js';
import { ClockWatch } from '../portal/conditional.js';
import { detailsView, noticeHref, noticeRow, paragraphs, projectSummary, trailView, withdrawalView } from '../portal/notice-view.js';
import { qrSvg } from '../portal/qr.js';
import type { Notice } from '../trading/notice.entity.js';
import type { Project } from '../trading/project.entity.js';

/**
 * A notice as the public will see it: the portal's own template and view functions (portal/notice-view.ts),
 * with the notice placed at the end of its project's published trail. The model mirrors PortalController.notice;
 * a draft simply has no publication time, hash or log entry yet.
 */
export async function renderPublicPreview(res: Response, notice: Notice, project: Project, published: Notice[], now: Date, config: AppConfig) {
  const trail = notice.status === 'published' ? published : [...published, notice];
  const watch = new ClockWatch(now);
  const pageUrl = `${config.publicBaseUrl}${noticeHref(notice.id)}`;
  const ocid = `${config.ocidPrefix}${project.dealCode}`;
  res.render('notice', {
    layout: 'layouts/main',
    title: notice.title,
    notice: { ...noticeRow(notice), paragraphs: paragraphs(notice.body), contentHash: notice.contentHash, logSeq: notice.logSeq, sourcePlatform: notice.sourcePlatform },
    details: detailsView(notice, project, trail, watch),
    withdrawal: withdrawalView(notice, trail),
    project: projectSummary(project),
    trail: trailView(trail, notice.id),
    pageUrl,
    qr: await qrSvg(pageUrl, `本页地址的二维码：${pageUrl}`),
    links: { json: `/api/v1/notices/${encodeURIComponent(notice.id)}`, ocds: `/api/ocds/records/${encodeURIComponent(ocid)}` },
    ocid,
  });
}
