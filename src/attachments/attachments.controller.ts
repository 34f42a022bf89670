import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { IdParam } from '../auth/id-param.js';
import { isNotModified } from '../http/conditional-request.js';
import type { NoticeAttachment } from './attachment.entity.js';
import { AttachmentsService } from './attachments.service.js';
import { contentDisposition } from './file-types.js';

/** Streams an attachment with its type, length, download name and its SHA-256 as ETag (it never changes). */
export async function sendAttachment(
  req: Request,
  res: Response,
  service: AttachmentsService,
  row: NoticeAttachment,
  cache: string,
) {
  const etag = `"${row.sha256}"`;
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', cache);
  if (isNotModified(req.method, req.headers, { etag })) {
    res.status(304).end();
    return;
  }
  res.setHeader('Content-Type', row.contentType);
  res.setHeader('Content-Length', String(row.size));
  res.setHeader('Content-Disposition', contentDisposition(row.fileName));
  res.setHeader('X-Content-Type-Options', 'nosniff');
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  for await (const chunk of service.content(row)) {
    if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve));
  }
  res.end();
}

/** The public address of a published notice's attachment. */
@Controller('notices')
export class AttachmentsController {
  constructor(private readonly attachments: AttachmentsService) {}

  @Get(':noticeId/attachments/:id')
  async download(
    @Req() req: Request,
    @Res() res: Response,
    @Param('noticeId') noticeId: string,
    @Param('id', IdParam()) id: number,
  ) {
    const row = await this.attachments.find(noticeId, id, true);
    await sendAttachment(req, res, this.attachments, row, 'public, max-age=86400');
  }
}
