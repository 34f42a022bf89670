import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { contentDisposition } from '../attachments/file-types.js';
import { readCookie } from '../auth/staff-auth.js';
import { AppError, type FieldError } from '../http/app-error.js';
import { clientAddress } from '../http/client-address.js';
import { renderView } from '../http/conditional.js';
import { FIELD_LABELS } from './application-input.js';
import { formModel, statusModel } from './disclosure-views.js';
import { uploadFailure } from './disclosure-upload.js';
import { DisclosureService, NEUTRAL_NOT_FOUND, type UploadedFile } from './disclosure.service.js';

/** The public form is protected by a double-submit cookie: a random token in the cookie and in the form. */
const CSRF_COOKIE = 'ggzy_disclosure_csrf';
const CSRF_PATH = '/disclosure';

/**
 * /disclosure/requests: apply for disclosure (依申请公开), and see a request's status with the code on its
 * receipt. Every answer is private: never cached (no @CachedResponse), no Referer sent from it, not indexed.
 */
@ApiExcludeController()
@Controller()
export class DisclosureController {
  constructor(private readonly disclosure: DisclosureService) {}

  @Get('disclosure/requests/new')
  async form(@Req() req: Request, @Res() res: Response) {
    privateAnswer(res);
    await page(res, 'disclosure/new', formModel({}, [], this.csrf(req, res)));
  }

  @Post('disclosure/requests/new')
  @HttpCode(201)
  async submit(@Req() req: Request, @Res() res: Response, @Body() body: Record<string, unknown>) {
    privateAnswer(res);
    const values = body ?? {};
    const again = (errors: FieldError[], status: number) => {
      res.status(status);
      return page(res, 'disclosure/new', formModel(values, errors, this.csrf(req, res)));
    };
    // Not field(): a repeated token is refused, not read as its first value.
    if (!sameToken(typeof values._csrf === 'string' ? values._csrf : '', readCookie(req, CSRF_COOKIE)))
      return again(
        [
          {
            field: '_csrf',
            message: '表单已过期或缺少安全令牌，请重新提交（已填写的内容保留如下，身份证明文件需重新选择）',
          },
        ],
        403,
      );
    const failure = uploadFailure(req);
    if (failure) return again([{ field: 'file', message: `${FIELD_LABELS.file}：${failure.message}` }], 400);
    const files = (req as Request & { files?: UploadedFile[] }).files ?? [];
    try {
      const receipt = await this.disclosure.submitOnline(values, files[0], clientAddress(req));
      await page(res, 'disclosure/receipt', { title: '申请已提交', ...receipt });
    } catch (e) {
      // Not fieldErrorsOf: only a refused form is shown again; other errors with fields keep their own status.
      if (e instanceof AppError && e.code === 'validation.failed') return again(e.fields, 400);
      throw e;
    }
  }

  @Get('disclosure/requests/:trackingNo')
  async statusForm(
    @Param('trackingNo') trackingNo: string,
    @Query('code') code: unknown,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    privateAnswer(res);
    if (typeof code === 'string' && code) return this.status(trackingNo, code, req, res);
    await page(res, 'disclosure/status', { title: '查询申请办理情况', trackingNo, ask: true });
  }

  /** The code in the body: it then reaches neither the access log nor the browser's history. */
  @Post('disclosure/requests/:trackingNo')
  @HttpCode(200)
  async statusPost(
    @Param('trackingNo') trackingNo: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    privateAnswer(res);
    return this.status(trackingNo, typeof body?.code === 'string' ? body.code : '', req, res);
  }

  /** A reply attachment, for the holder of the code (POSTed with it). */
  @Post('disclosure/requests/:trackingNo/files/:fileId')
  @HttpCode(200)
  async file(
    @Param('trackingNo') trackingNo: string,
    @Param('fileId') fileId: string,
    @Body() body: Record<string, unknown>,
    @Req() req: Request,
    @Res() res: Response,
  ) {
    privateAnswer(res);
    const id = /^\d{1,9}$/.test(fileId) ? Number(fileId) : -1;
    const code = typeof body?.code === 'string' ? body.code : '';
    const file = await this.disclosure.applicantFile(trackingNo, code, id, clientAddress(req));
    res.setHeader('Content-Type', file.contentType);
    res.setHeader('Content-Disposition', contentDisposition(file.fileName));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.send(file.bytes);
  }

  private async status(trackingNo: string, code: string, req: Request, res: Response) {
    try {
      const found = await this.disclosure.lookup(trackingNo, code, clientAddress(req));
      await page(res, 'disclosure/status', { title: `申请 ${found.request.trackingNo}`, ...statusModel(found), code });
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'not-found') throw e;
      res.status(404);
      await page(res, 'disclosure/status', {
        title: '查询申请办理情况',
        trackingNo,
        ask: true,
        error: NEUTRAL_NOT_FOUND,
      });
    }
  }

  private csrf(req: Request, res: Response): string {
    const existing = readCookie(req, CSRF_COOKIE);
    if (existing && /^[A-Za-z0-9_-]{43}$/.test(existing)) return existing;
    const token = randomBytes(32).toString('base64url');
    res.cookie(CSRF_COOKIE, token, { httpOnly: true, sameSite: 'strict', path: CSRF_PATH, secure: req.secure });
    return token;
  }
}

function sameToken(a: string, b: string | null): boolean {
  return !!b && a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export function privateAnswer(res: Response) {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Robots-Tag', 'noindex, nofollow');
}

async function page(res: Response, view: string, model: Record<string, unknown>) {
  // The display switch returns to the form, never to an address holding a tracking number.
  const toggle = res.locals.displayToggle as { href: string } | undefined;
  if (toggle)
    res.locals.displayToggle = {
      ...toggle,
      href: String(toggle.href).replace(/\?back=.*$/, '?back=%2Fdisclosure%2Frequests%2Fnew'),
    };
  res.send(await renderView(res, view, model));
}
