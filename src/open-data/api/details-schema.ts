import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import transformerStorage from 'class-transformer/cjs/storage.js';
import { AMOUNT_UNITS, PRICE_FORMS } from '../../domain/money.js';
import { AmountInput, DETAILS_CLASS, PriceInput } from '../../trading/notice-details.js';

type Class = abstract new (...args: never[]) => object;
type Schema = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const STORED: Schema = { type: 'string', pattern: '^\\d{1,18}(\\.\\d{1,6})?$' };
const TIME: Schema = {
  type: 'string',
  format: 'date-time',
  pattern: '\\+08:00$',
  description: 'ISO 8601 北京时间（+08:00）',
  example: '2026-06-15T09:30:00+08:00',
};

/** The stored forms of the two money inputs (normaliseDetails): the exact yuan value added. */
const SHARED: Record<string, Schema> = {
  NoticeAmount: {
    type: 'object',
    required: ['value', 'unit', 'yuan'],
    additionalProperties: false,
    description: '金额：按录入单位的十进制字符串，及折合元的精确值',
    properties: {
      value: { ...STORED, example: '1280.5' },
      unit: { enum: [...AMOUNT_UNITS], example: '万元' },
      yuan: { ...STORED, example: '12805000.00' },
    },
  },
  NoticePrice: {
    type: 'object',
    required: ['form', 'value', 'unit'],
    additionalProperties: false,
    description: '报价：报价形式、数值与单位；金额报价另有折合元的 yuan（费率、下浮率没有）',
    properties: {
      form: { enum: Object.keys(PRICE_FORMS) },
      value: STORED,
      unit: { enum: [...AMOUNT_UNITS, '%'] },
      yuan: STORED,
    },
  },
};
const SHARED_CLASS = new Map<Class, string>([
  [AmountInput, 'NoticeAmount'],
  [PriceInput, 'NoticePrice'],
]);

/**
 * The public `details` of each notice type as JSON Schema components, read from the same class-validator
 * metadata that checks the staff's input (trading/notice-details.ts), in the form publication stores: times as
 * ISO 8601 with +08:00, amounts and prices with their exact yuan value. Unknown fields are refused there, so
 * here too. Returns the components and, per notice type, the name of its details schema.
 */
export function noticeDetailsSchemas(): { components: Record<string, Schema>; byType: Record<string, string> } {
  const components: Record<string, Schema> = { ...SHARED };
  const names = new Map<Class, string>(SHARED_CLASS);
  const component = (cls: Class): Schema => {
    if (!names.has(cls)) {
      const name = `NoticeDetails${cls.name.replace(/Details$/, '')}`;
      names.set(cls, name);
      components[name] = objectSchema(cls, component);
    }
    return ref(names.get(cls)!);
  };
  const byType: Record<string, string> = {};
  for (const [type, cls] of Object.entries(DETAILS_CLASS)) {
    byType[type] = (component(cls as Class).$ref as string).split('/').pop()!;
  }
  return { components, byType };
}

function objectSchema(cls: Class, component: (cls: Class) => Schema): Schema {
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls as never, '', true, false);
  const byProperty = new Map<string, ValidationMetadata[]>();
  for (const m of metas) byProperty.set(m.propertyName, [...(byProperty.get(m.propertyName) ?? []), m]);
  const properties: Record<string, Schema> = {};
  const required: string[] = [];
  for (const [property, list] of byProperty) {
    const optional = list.some((m) => m.type === 'conditionalValidation');
    const schema = propertySchema(cls, property, list, component);
    // @IsOptional() lets null through as well as an absent field; a stored null stays null.
    properties[property] = optional ? { anyOf: [schema, { type: 'null' }] } : schema;
    if (!optional) required.push(property);
  }
  return { type: 'object', ...(required.length ? { required } : {}), properties, additionalProperties: false };
}

function propertySchema(
  cls: Class,
  property: string,
  list: ValidationMetadata[],
  component: (cls: Class) => Schema,
): Schema {
  const name = (m: ValidationMetadata) => m.name ?? m.type;
  const item: Schema = {};
  const array: Schema = { type: 'array' };
  let isArray = false;
  for (const m of list) {
    const c = m.constraints ?? [];
    switch (name(m)) {
      case 'isArray':
        isArray = true;
        break;
      case 'arrayMinSize':
        array.minItems = c[0];
        break;
      case 'arrayMaxSize':
        array.maxItems = c[0];
        break;
      case 'isString':
        item.type = 'string';
        break;
      case 'isBoolean':
        item.type = 'boolean';
        break;
      case 'isInt':
        item.type = 'integer';
        break;
      case 'min':
        item.minimum = c[0];
        break;
      case 'max':
        item.maximum = c[0];
        break;
      case 'minLength':
        item.minLength = c[0];
        break;
      case 'maxLength':
        item.maxLength = c[0];
        break;
      case 'isIn':
        item.enum = c[0];
        break;
      case 'isDateTimeInput':
        Object.assign(item, TIME);
        break;
      case 'isChinaDate':
        Object.assign(item, { type: 'string', format: 'date', example: '2026-05-20' });
        break;
      case 'isDecimalString':
        Object.assign(item, STORED);
        break;
      case 'isCreditCode':
        Object.assign(item, {
          type: 'string',
          minLength: 18,
          maxLength: 18,
          description: '统一社会信用代码',
          example: '91320581MA1X7Y8K2Q',
        });
        break;
      case 'isCode':
        Object.assign(item, { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{1,63}$' });
        break;
      case 'nestedValidation': {
        const typeFunction = transformerStorage.defaultMetadataStorage.findTypeMetadata(
          cls as never,
          property,
        )?.typeFunction;
        if (typeFunction) Object.assign(item, component(typeFunction() as Class));
        break;
      }
      case 'isOptional':
      case 'conditionalValidation':
      case 'isDefined':
        break;
      default:
        throw new Error(`notice details: no schema for validator ${name(m)} on ${cls.name}.${property}`);
    }
  }
  return isArray ? { ...array, items: item } : item;
}
