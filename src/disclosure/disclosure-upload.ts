import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import type { FieldError } from '../http/app-error.js';

const failures = new WeakMap<Request, FieldError>();

/** What went wrong reading a multipart form (a file too large, too many parts), for the form to show. */
export const uploadFailure = (req: Request) => failures.get(req);

/**
 * Reads a multipart disclosure form into memory before the guard runs (the staff forms' CSRF token is among its
 * fields): at most `files` files, each within DISCLOSURE_UPLOAD_MAX_BYTES. A url-encoded form passes through.
 */
function multipart(maxBytes: number, field: string, files: number) {
  const read = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files, fields: 40, fieldSize: 100_000, parts: 40 + files },
    defParamCharset: 'utf8',
  }).array(field, files);
  return (req: Request, res: Response, next: NextFunction) =>
    read(req, res, (err: unknown) => {
      if (err) {
        const code = (err as { code?: string }).code;
        failures.set(req, {
          field,
          message:
            code === 'LIMIT_FILE_SIZE'
              ? `上传的文件超过 ${+(maxBytes / 1024 / 1024).toFixed(1)} MB 的上限`
              : code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_UNEXPECTED_FILE'
                ? `最多上传 ${files} 个文件`
                : '上传的表单有误，请重新选择文件',
        });
        req.body ??= {};
      }
      next();
    });
}

/** The public form's identity proof (field "file", one). */
@Injectable()
export class IdentityUpload implements NestMiddleware {
  private readonly read: ReturnType<typeof multipart>;
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.read = multipart(config.disclosure.uploadMaxBytes, 'file', 1);
  }
  use(req: Request, res: Response, next: NextFunction) {
    this.read(req, res, next);
  }
}

/** A reply's attachments on the staff form (field "files", up to 5). */
@Injectable()
export class ReplyUpload implements NestMiddleware {
  private readonly read: ReturnType<typeof multipart>;
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.read = multipart(config.disclosure.uploadMaxBytes, 'files', 5);
  }
  use(req: Request, res: Response, next: NextFunction) {
    this.read(req, res, next);
  }
}
