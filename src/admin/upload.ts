import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import multer, { MulterError } from 'multer';
import { tooLarge } from '../attachments/attachments.service.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AppConfig } from '../config/config.js';
import { AppError, validationFailed } from '../http/app-error.js';

/** The largest bid-opening CSV accepted (500 rows fit in far less). */
export const CSV_MAX_BYTES = 2 * 1024 * 1024;

const failures = new WeakMap<Request, AppError>();

/** What went wrong reading the upload (too large, too many parts), for the page to show beside the form. */
export const uploadFailure = (req: Request) => failures.get(req);

/**
 * Reads a multipart form (one file, field "file") into memory before the guard runs, so the guard finds the
 * CSRF token among its fields. Limits are enforced while reading; a failure is kept for the page, not thrown.
 */
function multipart(maxBytes: number) {
  const read = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: maxBytes, files: 1, fields: 40, fieldSize: 200_000, parts: 42 },
    defParamCharset: 'utf8',
  }).single('file');
  return (req: Request, res: Response, next: NextFunction) =>
    read(req, res, (err: unknown) => {
      if (err) {
        const e = err as MulterError;
        failures.set(
          req,
          e.code === 'LIMIT_FILE_SIZE'
            ? tooLarge(maxBytes)
            : validationFailed([
                {
                  field: 'file',
                  message:
                    e.code === 'LIMIT_UNEXPECTED_FILE' ? '一次只能上传一个文件' : '上传的表单有误，请重新选择文件',
                },
              ]),
        );
      }
      next();
    });
}

@Injectable()
export class AttachmentUpload implements NestMiddleware {
  private readonly read: ReturnType<typeof multipart>;
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.read = multipart(config.staff.attachmentMaxBytes);
  }
  use(req: Request, res: Response, next: NextFunction) {
    this.read(req, res, next);
  }
}

@Injectable()
export class CsvUpload implements NestMiddleware {
  private readonly read = multipart(CSV_MAX_BYTES);
  use(req: Request, res: Response, next: NextFunction) {
    this.read(req, res, next);
  }
}
