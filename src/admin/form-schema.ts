import { chinaDateTimeIso } from '../domain/china-time.js';
import { field } from './form-input.js';

/**
 * Server-rendered forms for nested input (notice details, projects) without JavaScript. Every input is named by
 * the same path the validators report errors on ("details.bids[2].price.value"), so an error finds its input;
 * repeated rows are read back compacted (blank rows dropped) and shown again with a few blank rows more.
 */
export type FieldKind = 'text' | 'textarea' | 'datetime' | 'date' | 'bool' | 'select' | 'int' | 'group' | 'rows';

export interface FieldSpec {
  key: string;
  label: string;
  kind: FieldKind;
  required?: boolean;
  options?: readonly { value: string; label: string }[];
  /** A select's empty first choice ("请选择"): choosing it leaves the field out. */
  blank?: string;
  /** group: its fields; rows: the columns of each row. */
  fields?: FieldSpec[];
  /** group: present only when this sub-field is filled (an amount without a value is no amount). */
  presentIf?: string;
  /** group: always present, possibly empty (a correction's structured changes). */
  always?: boolean;
  /** group shown on one line (amount, price). */
  inline?: boolean;
  /** rows: blank rows on a new form and rows added per "add rows". */
  rows?: number;
  max?: number;
  /**
   * rows, optional: a box with this label that states the list is empty ("none"), kept apart from a list not
   * filled in at all, which is left out. Rows that are filled in win over the box.
   */
  none?: string;
  hint?: string;
  wide?: boolean;
}

export const ADD_ROWS_FIELD = '_add';
const DEFAULT_ROWS = 3;

// ---- shapes used by several forms ----------------------------------------------------------------------
const UNIT_OPTIONS = [
  { value: '元', label: '元' },
  { value: '万元', label: '万元' },
];
export const amount = (key: string, label: string, required = false): FieldSpec => ({
  key,
  label,
  kind: 'group',
  required,
  inline: true,
  presentIf: 'value',
  fields: [
    { key: 'value', label: '金额', kind: 'text' },
    { key: 'unit', label: '单位', kind: 'select', options: UNIT_OPTIONS },
  ],
});
export const PRICE_FORM_OPTIONS = [
  { value: 'amount', label: '报价金额' },
  { value: 'down-rate', label: '下浮率' },
  { value: 'fee-rate', label: '费率' },
  { value: 'discount', label: '折扣率' },
  { value: 'unit-price', label: '单价' },
];
export const price = (key: string, label: string, required = false): FieldSpec => ({
  key,
  label,
  kind: 'group',
  required,
  inline: true,
  presentIf: 'value',
  fields: [
    { key: 'form', label: '报价形式', kind: 'select', options: PRICE_FORM_OPTIONS },
    { key: 'value', label: '数值', kind: 'text' },
    { key: 'unit', label: '单位', kind: 'select', options: [...UNIT_OPTIONS, { value: '%', label: '%' }] },
  ],
});
const PARTY_FIELDS: FieldSpec[] = [
  { key: 'name', label: '名称', kind: 'text', required: true },
  { key: 'creditCode', label: '统一社会信用代码', kind: 'text', required: true },
];
export const party = (key: string, label: string, required = false): FieldSpec => ({
  key,
  label,
  kind: 'group',
  required,
  fields: PARTY_FIELDS,
});
export const contactParty = (key: string, label: string, required = false): FieldSpec => ({
  key,
  label,
  kind: 'group',
  required,
  fields: [
    ...PARTY_FIELDS,
    { key: 'address', label: '地址', kind: 'text' },
    { key: 'contactName', label: '联系人', kind: 'text' },
    { key: 'contactPhone', label: '联系电话', kind: 'text' },
  ],
});

// ---- reading a posted form -------------------------------------------------------------------------
const join = (prefix: string, key: string) => (prefix ? `${prefix}.${key}` : key);

/** The nested value of a posted form; blank inputs are left out, so the validators say "必填" where one is required. */
export function readForm(specs: FieldSpec[], body: unknown, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const spec of specs) {
    const value = readField(spec, body, join(prefix, spec.key));
    if (value !== undefined) out[spec.key] = value;
  }
  return out;
}

function readField(spec: FieldSpec, body: unknown, name: string): unknown {
  switch (spec.kind) {
    case 'group': {
      const sub = readForm(spec.fields!, body, name);
      if (spec.always) return sub;
      const present = spec.presentIf ? sub[spec.presentIf] !== undefined : Object.keys(sub).length > 0;
      return present ? sub : undefined;
    }
    case 'rows': {
      const rows: Record<string, unknown>[] = [];
      for (let i = 0; i < rowCount(body, name, spec.max ?? 500); i++) {
        const row = readForm(spec.fields!, body, `${name}[${i}]`);
        if (Object.keys(row).length) rows.push(row);
      }
      if (rows.length || spec.required) return rows;
      return spec.none && field(body, noneName(name)) === 'true' ? [] : undefined;
    }
    case 'bool': {
      const v = field(body, name);
      return v === 'true' ? true : v === 'false' ? false : undefined;
    }
    case 'int': {
      const v = field(body, name).trim();
      return v === '' ? undefined : /^\d{1,9}$/.test(v) ? Number(v) : v;
    }
    case 'textarea': {
      const v = field(body, name);
      return v.trim() === '' ? undefined : v.replace(/\r\n/g, '\n');
    }
    default: {
      const v = field(body, name).trim();
      return v === '' ? undefined : v;
    }
  }
}

/** The "none" box of an optional rows field (its name cannot be taken for a row: rows are `name[i]…`). */
const noneName = (name: string) => `${name}.none`;

/** How many rows of `name` the form posted: one past the highest index present (capped). */
function rowCount(body: unknown, name: string, max: number): number {
  const prefix = `${name}[`;
  let count = 0;
  for (const key of Object.keys((body as object) ?? {})) {
    if (!key.startsWith(prefix)) continue;
    const index = Number(/^(\d{1,4})\]/.exec(key.slice(prefix.length))?.[1]);
    if (Number.isInteger(index) && index < max) count = Math.max(count, index + 1);
  }
  return count;
}

/** The rows field whose "add rows" button was pressed, if any. */
export function addRowsRequest(body: unknown): string | null {
  const v = field(body, ADD_ROWS_FIELD);
  return v ? v : null;
}

// ---- showing a form --------------------------------------------------------------------------------
export interface FieldView {
  name: string;
  id: string;
  label: string;
  required?: boolean;
  hint?: string;
  wide?: boolean;
  error?: string;
  value?: string;
  kind: Record<string, boolean>;
  options?: { value: string; label: string; selected: boolean }[];
  fields?: FieldView[];
  inline?: boolean;
  columns?: { label: string; required?: boolean }[];
  rows?: { number: number; cells: FieldView[] }[];
  addValue?: string;
  none?: { name: string; id: string; label: string; checked: boolean };
}

export interface FormView {
  fields: FieldView[];
  /** Every error with the label of its field, for the summary at the top. */
  summary: { label: string; message: string; href: string | null }[];
}

/**
 * Lays out specs with values (stored details or what was posted) and errors by path. `extraRows` adds blank
 * rows to one rows field (the "add rows" button).
 */
export function viewForm(
  specs: FieldSpec[],
  values: Record<string, unknown>,
  errors: { field: string; message: string }[],
  prefix = '',
  extraRows: string | null = null,
): FormView {
  const byPath = new Map<string, string[]>();
  for (const e of errors) byPath.set(e.field, [...(byPath.get(e.field) ?? []), e.message]);
  const labels = new Map<string, string>();
  const fields = viewFields(specs, values, prefix, '', { byPath, labels, extraRows });
  const summary = errors.map((e) => ({
    label: labels.get(e.field) ?? e.field,
    message: e.message,
    href: labels.has(e.field) ? `#${idOf(e.field)}` : null,
  }));
  return { fields, summary };
}

interface ViewContext {
  byPath: Map<string, string[]>;
  labels: Map<string, string>;
  extraRows: string | null;
}

const idOf = (name: string) => `f-${name.replace(/[^A-Za-z0-9]+/g, '-')}`;

function viewFields(
  specs: FieldSpec[],
  values: Record<string, unknown> | undefined,
  prefix: string,
  labelPrefix: string,
  ctx: ViewContext,
): FieldView[] {
  return specs.map((spec) => viewField(spec, values?.[spec.key], join(prefix, spec.key), labelPrefix, ctx));
}

function viewField(spec: FieldSpec, value: unknown, name: string, labelPrefix: string, ctx: ViewContext): FieldView {
  const label = `${labelPrefix}${spec.label}`;
  ctx.labels.set(name, label);
  const view: FieldView = {
    name,
    id: idOf(name),
    label: spec.label,
    required: spec.required,
    hint: spec.hint,
    wide: spec.wide || spec.kind === 'textarea' || spec.kind === 'rows' || spec.kind === 'group',
    error: ctx.byPath.get(name)?.join('；'),
    kind: { [spec.kind]: true },
  };
  if (spec.kind === 'group') {
    view.inline = spec.inline;
    view.wide = !spec.inline;
    view.fields = viewFields(spec.fields!, isObject(value) ? value : undefined, name, `${label} · `, ctx);
    return view;
  }
  if (spec.kind === 'rows') {
    const rows = Array.isArray(value) ? value : [];
    const step = spec.rows ?? DEFAULT_ROWS;
    const count = Math.min(
      spec.max ?? 500,
      Math.max(rows.length + (ctx.extraRows === name ? step : rows.length ? 1 : step), step),
    );
    view.columns = spec.fields!.map((f) => ({ label: f.label, required: f.required }));
    view.rows = Array.from({ length: count }, (_, i) => ({
      number: i + 1,
      cells: viewFields(
        spec.fields!,
        isObject(rows[i]) ? rows[i] : undefined,
        `${name}[${i}]`,
        `${label} 第 ${i + 1} 行 · `,
        ctx,
      ),
    }));
    view.addValue = name;
    if (spec.none)
      view.none = {
        name: noneName(name),
        id: idOf(noneName(name)),
        label: spec.none,
        checked: Array.isArray(value) && value.length === 0,
      };
    return view;
  }
  if (spec.kind === 'select' || spec.kind === 'bool') {
    const options =
      spec.kind === 'bool'
        ? [
            { value: 'true', label: '是' },
            { value: 'false', label: '否' },
          ]
        : [...spec.options!];
    const current = value === undefined || value === null ? '' : String(value);
    view.options = [
      ...(spec.blank !== undefined || spec.kind === 'bool' ? [{ value: '', label: spec.blank ?? '请选择' }] : []),
      ...options,
    ].map((o) => ({ ...o, selected: o.value === current }));
    return view;
  }
  view.value =
    value === undefined || value === null ? '' : spec.kind === 'datetime' ? localDateTime(value) : String(value);
  return view;
}

/** A stored time (ISO 8601 with +08:00) as the datetime-local input shows it, in China time; anything else as typed. */
function localDateTime(v: unknown): string {
  const s = String(v);
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) {
    const d = new Date(s);
    if (!Number.isNaN(d.getTime())) return chinaDateTimeIso(d).slice(0, 16);
  }
  return /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(s) ? s.replace(' ', 'T') : s;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
