import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { FieldError, validationFailed } from './app-error.js';
import { VALIDATION_MESSAGES } from './messages.js';

/** Flattens class-validator errors into one Chinese message per field path ("details.bids[2].price"). */
export function toFieldErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = /^\d+$/.test(e.property)
      ? `${prefix}[${e.property}]`
      : prefix
        ? `${prefix}.${e.property}`
        : e.property;
    if (e.value === undefined && e.constraints && !e.constraints.whitelistValidation) {
      // A missing field: one clear message rather than every constraint it fails.
      out.push({ field: path, message: '必填' });
      continue;
    }
    for (const [name, english] of Object.entries(e.constraints ?? {})) {
      // Custom validators carry their own Chinese message; built-ins are translated by constraint name.
      const translate = VALIDATION_MESSAGES[name];
      const message = translate
        ? translate({ constraints: (e.contexts?.[name] as unknown[]) ?? constraintsOf(e, name) })
        : english;
      out.push({ field: path, message });
    }
    if (e.children?.length) out.push(...toFieldErrors(e.children, path));
  }
  return out;
}

// class-validator does not expose constraint arguments on the error; recover them from the English message.
function constraintsOf(e: ValidationError, name: string): unknown[] {
  const text = e.constraints?.[name] ?? '';
  if (name === 'isIn') return [text.replace(/^.*following values: /, '').split(', ')];
  if (name === 'length') return (text.match(/\d+/g) ?? []).slice(-2);
  return (text.match(/-?\d+(\.\d+)?/g) ?? []).slice(-1);
}

const OPTIONS = { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true } as const;

/** The global pipe for DTOs: unknown fields and wrong types are refused field by field. */
export const validationPipe = new ValidationPipe({
  ...OPTIONS,
  transform: true,
  exceptionFactory: (errors) => validationFailed(toFieldErrors(errors)),
});

/** Validates a plain value against a DTO class outside the pipe (a notice's details, chosen by its type). */
export async function validatePlain<T extends object>(
  cls: new () => T,
  value: unknown,
  prefix: string,
): Promise<{ value: T; errors: FieldError[] }> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { value: undefined as unknown as T, errors: [{ field: prefix, message: '必须是对象' }] };
  }
  const instance = plainToInstance(cls, value);
  const errors = await validate(instance, OPTIONS);
  return { value: instance, errors: toFieldErrors(errors, prefix) };
}

export { BadRequestException };
