import 'reflect-metadata';
import { createRequire } from 'node:module';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata.js';
import type { MetadataStorage as TransformerStorage } from 'class-transformer/types/MetadataStorage.js';
import { DETAILS_CLASS } from '../trading/notice-details.js';
import type { FieldSpec } from './form-schema.js';
import { noticeDetailSpecs } from './notice-forms.js';

// class-transformer keeps @Type in a storage its index does not export; this is the instance its decorators fill.
const { defaultMetadataStorage: transformerStorage } = createRequire(import.meta.url)(
  'class-transformer/cjs/storage.js',
) as { defaultMetadataStorage: TransformerStorage };

/** One field as a reader of both sides sees it: required or not, its parts, its choices and its row limit. */
interface FieldShape {
  required: boolean;
  /** A nested object (group) or each row's columns (rows). */
  fields?: Record<string, FieldShape>;
  rows?: boolean;
  /** The values a select offers / IsIn accepts. */
  choices?: string[];
  maxRows?: number;
}

/** What the validators accept, from class-validator's metadata (inherited properties included) and @Type. */
function classShape(target: new () => object): Record<string, FieldShape> {
  const byProperty = getMetadataStorage().groupByPropertyName(
    getMetadataStorage().getTargetValidationMetadatas(target, '', true, false),
  );
  const shape: Record<string, FieldShape> = {};
  for (const [property, metadata] of Object.entries(byProperty)) {
    const has = (type: string, name?: string) =>
      metadata.find((m: ValidationMetadata) => m.type === type && (name === undefined || m.name === name));
    const field: FieldShape = { required: !has(ValidationTypes.CONDITIONAL_VALIDATION) };
    if (has(ValidationTypes.NESTED_VALIDATION)) {
      const nested = transformerStorage.findTypeMetadata(target, property)?.typeFunction() as
        (new () => object) | undefined;
      if (!nested) throw new Error(`${target.name}.${property}: @ValidateNested without @Type`);
      field.fields = classShape(nested);
    }
    if (has(ValidationTypes.CUSTOM_VALIDATION, 'isArray')) {
      field.rows = true;
      field.maxRows = has(ValidationTypes.CUSTOM_VALIDATION, 'arrayMaxSize')?.constraints[0];
    }
    const isIn = has(ValidationTypes.CUSTOM_VALIDATION, 'isIn');
    if (isIn) field.choices = [...(isIn.constraints[0] as string[])].sort();
    shape[property] = field;
  }
  return shape;
}

/**
 * What the form asks for. A part is required when marked so, and also when it cannot be left out: the part whose
 * presence makes its group present (an amount's value), a select without a blank choice, a group always sent.
 */
function formShape(specs: FieldSpec[], parent?: FieldSpec): Record<string, FieldShape> {
  const shape: Record<string, FieldShape> = {};
  for (const spec of specs) {
    const field: FieldShape = {
      required:
        Boolean(spec.required) ||
        parent?.presentIf === spec.key ||
        (spec.kind === 'select' && !spec.blank) ||
        Boolean(spec.always),
    };
    if (spec.kind === 'group' || spec.kind === 'rows') field.fields = formShape(spec.fields!, spec);
    if (spec.kind === 'rows') {
      field.rows = true;
      field.maxRows = spec.max;
    }
    if (spec.kind === 'select' && spec.options && !(spec.key === 'lotCode'))
      field.choices = spec.options.map((o) => o.value).sort();
    shape[spec.key] = field;
  }
  return shape;
}

describe('each notice type has one set of fields: the admin form agrees with its details class', () => {
  const lots = [{ value: 'A1', label: 'A1 一标段' }];

  it.each(Object.keys(DETAILS_CLASS))(
    '%s: the same fields, each required on both sides or on neither, with the same parts and choices',
    (type) => {
      const validators = classShape(DETAILS_CLASS[type]);
      // lotCode is a select of the project's lots when it has any (IsCode then checks the code): not a closed list.
      expect(formShape(noticeDetailSpecs(type, lots))).toEqual(validators);
      expect(formShape(noticeDetailSpecs(type, []))).toEqual(validators);
    },
  );

  it('the comparison sees a difference in a required flag, a missing field and a nested part', () => {
    const tender = noticeDetailSpecs('tender', lots);
    const validators = classShape(DETAILS_CLASS.tender);
    const optionalDeadline = tender.map((s) => (s.key === 'bidDeadline' ? { ...s, required: false } : s));
    expect(formShape(optionalDeadline)).not.toEqual(validators);
    expect(formShape(tender.filter((s) => s.key !== 'openingPlace'))).not.toEqual(validators);
    const tendererWithoutCode = tender.map((s) =>
      s.key === 'tenderer' ? { ...s, fields: s.fields!.filter((f) => f.key !== 'creditCode') } : s,
    );
    expect(formShape(tendererWithoutCode)).not.toEqual(validators);
  });
});
