import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { getMetadataStorage, type ValidationArguments } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import transformerStorage from 'class-transformer/cjs/storage.js';

type Class = abstract new (...args: never[]) => object;
type Schema = Record<string, unknown>;

/** What the house's own string validators (trading/validators.ts) accept, as JSON Schema. */
const CUSTOM: Record<string, Schema> = {
  isChinaDate: { format: 'date', example: '2026-05-20' },
  isDateTimeInput: { example: '2026-06-15 09:30' },
  isRegionCode: { pattern: '^\\d{6}$', example: '320581' },
  isCode: { pattern: '^[A-Za-z0-9][A-Za-z0-9-]{1,63}$' },
  isDecimalString: { pattern: '^\\d{1,18}(\\.\\d{1,6})?$', example: '1280.50' },
  isCreditCode: { minLength: 18, maxLength: 18, example: '91320581MA1X7Y8K2Q' },
};

const done = new WeakSet<Class>();

/** Names of the described classes: the validation pipe refuses fields they do not declare (additionalProperties: false). */
export const closedSchemaNames = new Set<string>();

/**
 * Describes a request class (body or query) in the API description from its class-validator decorators, so the
 * validation stays the one source of each field's type, limits, enum and whether it is required. Nested
 * classes (`@ValidateNested() @Type(() => X)`) are described the same way when the document is built.
 */
export function ApiFromValidation(): ClassDecorator {
  return (target) => describeFromValidation(target as unknown as Class);
}

export function describeFromValidation(cls: Class) {
  if (done.has(cls)) return;
  done.add(cls);
  closedSchemaNames.add(cls.name);
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls as never, '', true, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of metas) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  for (const [property, list] of byProperty) {
    ApiProperty(propertyOptions(cls, property, list))(cls.prototype, property);
  }
}

function propertyOptions(cls: Class, property: string, list: ValidationMetadata[]): ApiPropertyOptions {
  const o: Schema = { required: !list.some((m) => m.type === 'conditionalValidation') };
  const name = (m: ValidationMetadata) => m.name ?? m.type;
  const isArray = list.some((m) => name(m) === 'isArray' || (m.each && m.type !== 'conditionalValidation'));
  const item: Schema = {};
  const descriptions: string[] = [];
  for (const m of list) {
    const c = m.constraints ?? [];
    const target =
      isArray && m.each ? item : name(m) === 'isArray' || name(m).startsWith('array') ? o : isArray ? item : o;
    switch (name(m)) {
      case 'isString':
        target.type = 'string';
        break;
      case 'isInt':
        target.type = 'integer';
        break;
      case 'isNumber':
        target.type = 'number';
        break;
      case 'isBoolean':
        target.type = 'boolean';
        break;
      case 'isObject':
        Object.assign(target, { type: 'object', additionalProperties: true });
        break;
      case 'isIn':
        target.enum = c[0];
        break;
      case 'minLength':
        target.minLength = c[0];
        break;
      case 'maxLength':
        target.maxLength = c[0];
        break;
      case 'isNotEmpty':
        target.minLength ??= 1;
        break;
      case 'min':
        target.minimum = c[0];
        break;
      case 'max':
        target.maximum = c[0];
        break;
      case 'matches':
        Object.assign(target, { type: 'string', pattern: (c[0] as RegExp).source });
        break;
      case 'arrayMinSize':
        o.minItems = c[0];
        break;
      case 'arrayMaxSize':
        o.maxItems = c[0];
        break;
      case 'isArray':
      case 'isOptional':
      case 'conditionalValidation':
      case 'isDefined':
        break;
      case 'nestedValidation': {
        const typeFunction = transformerStorage.defaultMetadataStorage.findTypeMetadata(
          cls as never,
          property,
        )?.typeFunction;
        // Written as `{ type: () => X }`: @nestjs/swagger knows a lazy type by the function's name, `type`.
        if (typeFunction) target.type = { type: () => nested(typeFunction() as Class) }.type;
        break;
      }
      default: {
        Object.assign(target, { type: 'string', ...CUSTOM[name(m)] });
        const text = defaultMessage(m);
        if (text) descriptions.push(text);
      }
    }
  }
  if (isArray) {
    o.isArray = true;
    o.type = item.type ?? 'string';
    for (const k of ['enum', 'minLength', 'maxLength', 'pattern', 'format', 'minimum', 'maximum'])
      if (item[k] !== undefined) o[k] = item[k];
  }
  o.type ??= o.enum ? 'string' : 'object';
  if (descriptions.length) o.description = descriptions.join('；');
  return o as ApiPropertyOptions;
}

function nested(cls: Class): Class {
  describeFromValidation(cls);
  return cls;
}

/** A custom validator's own (Chinese) message, which says what it accepts. */
function defaultMessage(m: ValidationMetadata): string | undefined {
  const constraint = getMetadataStorage().getTargetValidatorConstraints(m.constraintCls)[0];
  const instance = constraint?.instance as { defaultMessage?: (args: ValidationArguments) => string } | undefined;
  try {
    return instance?.defaultMessage?.({
      constraints: m.constraints ?? [],
      property: m.propertyName,
    } as ValidationArguments);
  } catch {
    return undefined;
  }
}
