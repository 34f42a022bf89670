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
