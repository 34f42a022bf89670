import type { Response } from 'express';
import type { AttachmentView } from '../attachments/attachments.service.js';
import type { AppConfig } from '../config/config.js';
import { ClockWatch } from '../http/conditional.js';
import { noticePageModel } from '../portal/notice-page.js';
import type { Notice } from '../trading/notice.entity.js';
import type { Project } from '../trading/project.entity.js';

/**
 * A notice as the public will see it: the portal's own page model and template, with the notice placed at the
 * end of its project's published trail. A draft simply has no publication time, hash or log entry yet.
 */
export async function renderPublicPreview(
  res: Response,
  notice: Notice,
  project: Project,
  published: Notice[],
  now: Date,
  config: AppConfig,
  attachments: AttachmentView[],
) {
  const trail = notice.status === 'published' ? published : [...published, notice];
  res.render('notice', {
    layout: 'layouts/main',
    ...(await noticePageModel(notice, project, trail, new ClockWatch(now), config, attachments)),
  });
}
