/**
 * What the access log must not keep: private tokens that some URLs carry. A path rule names the segment that is a
 * secret (an e-mail confirmation or subscription token, a disclosure request's tracking code); a query parameter
 * is a secret by its name. Headers are never logged at all (cookies, Authorization, X-Signature).
 */
export const REDACTED = '[redacted]';

/** First match wins; the captured group is replaced. `/api/v1` variants of the same resources are covered too. */
export const PRIVATE_PATH_RULES: { pattern: RegExp; why: string }[] = [
  {
    pattern: /^(?:\/api\/v1)?\/alerts\/(?:confirm|unsubscribe|manage)\/([^/]+)/,
    why: 'alert e-mail confirmation, unsubscribe and management tokens',
  },
  { pattern: /^(?:\/api\/v1)?\/alerts\/([^/]+)/, why: "an alert subscription's own token" },
  {
    // The form's own address (/disclosure/requests/new) is no secret and stays readable.
    pattern: /^(?:\/api\/v1)?\/disclosure\/requests\/(?!new(?:\/|$))([^/]+)/,
    why: "a disclosure request's tracking code, which opens its answer",
  },
];

/** Query parameters whose value is a credential, a private code or an e-mail address, by name (case-insensitive). */
const SECRET_PARAMETER =
  /(^|[_.-])(token|access_token|secret|password|passwd|pwd|signature|sig|key|apikey|api_key|code|session|sid|ticket|otp|totp|csrf|trackingno|tracking_no|auth|authorization|email|mail)$|token|secret|password/i;

export function redactPath(path: string): string {
  for (const { pattern } of PRIVATE_PATH_RULES) {
    const m = pattern.exec(path);
    if (m) {
      const start = m.index + m[0].length - m[1].length;
      return path.slice(0, start) + REDACTED + path.slice(start + m[1].length);
    }
  }
  return path;
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const rawName = eq < 0 ? pair : pair.slice(0, eq);
      let name = rawName;
      try {
        name = decodeURIComponent(rawName.replace(/\+/g, ' '));
      } catch {
        // a malformed escape: judge the raw name
      }
      return eq >= 0 && SECRET_PARAMETER.test(name) ? `${rawName}=${REDACTED}` : pair;
    })
    .join('&');
}

/** The request target as the access log keeps it: private path segments and secret query values replaced. */
export function redactUrl(url: string): string {
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  // Rules are written for decoded paths; an encoded slash or letter must not slip a token past them.
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // keep the raw path
  }
  const fromDecoded = redactPath(decoded);
  const redacted = fromDecoded !== decoded ? fromDecoded : redactPath(path);
  return q < 0 ? redacted : `${redacted}?${redactQuery(url.slice(q + 1))}`;
}
