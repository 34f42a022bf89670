/**
 * Turns an entity or DTO into the plain JSON image kept in the audit log: dates as ISO strings, bigints (money in
 * fen) as decimal strings, and secrets removed wherever they sit, so the log can be shown to auditors as it is.
 */
const SECRET_FIELDS = new Set([
  'password',
  'passwordhash',
  'currentpassword',
  'newpassword',
  'keyhash',
  'key',
  'apikey',
  'token',
  'csrftoken',
  'secret',
  // personal data: an alert subscriber's address is never kept in the audit log
  'email',
  'emailhash',
  'linktoken',
]);

export const isSecretField = (name: string) => SECRET_FIELDS.has(name.replace(/[_-]/g, '').toLowerCase());

/**
 * Fields left out of the images of one entity type, on top of the secrets: what identifies an applicant for
 * disclosure or what they and staff wrote to each other (disclosure/disclosure.service.ts builds its images from
 * the clock's fields already; this holds even if a whole row is passed).
 */
const PERSONAL_FIELDS: Record<string, Set<string>> = {
  'disclosure-request': new Set([
    'personal',
    'name',
    'creditcode',
    'idtype',
    'idnumber',
    'phone',
    'address',
    'description',
    'purpose',
    'clarificationtext',
    'extensionnotice',
    'replytext',
    'codehash',
    'code',
    'iphash',
  ]),
  'disclosure-file': new Set(['data', 'filename']),
  'disclosure-review': new Set(['note']),
};

/** The image of a change to an entity of `entityType`: auditImage without that type's personal fields. */
export function auditImageOf(entityType: string, value: unknown): unknown {
  const hidden = PERSONAL_FIELDS[entityType];
  const image = auditImage(value);
  return hidden ? withoutFields(image, hidden) : image;
}

function withoutFields(value: unknown, hidden: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutFields(v, hidden));
  if (!value || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => !hidden.has(k.replace(/[_-]/g, '').toLowerCase()))
      .map(([k, v]) => [k, withoutFields(v, hidden)]),
  );
}

export function auditImage(value: unknown, depth = 0): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (typeof value === 'function' || typeof value === 'symbol') return null;
  if (typeof value !== 'object') return value;
  if (depth > 20) return '…';
  if (Array.isArray(value)) return value.map((v) => auditImage(v, depth + 1));
  if (Buffer.isBuffer(value)) return `<${value.length} bytes>`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (isSecretField(k) || v === undefined || typeof v === 'function') continue;
    out[k] = auditImage(v, depth + 1);
  }
  return out;
}
