import { ParseIntPipe } from '@nestjs/common';
import { validationFailed } from '../http/app-error.js';

/** A numeric :id path parameter; anything else is a 400 with a Chinese message, never a 500. */
export const IdParam = () =>
  new ParseIntPipe({ exceptionFactory: () => validationFailed([{ field: 'id', message: '必须是正整数' }]) });
