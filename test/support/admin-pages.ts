import type { Response, Test } from 'supertest';
import type { TestApp } from './test-app.js';

/** A person using the back office through its HTML forms: cookies as a browser keeps them, the CSRF token from the page. */
export interface AdminBrowser {
  cookies: Map<string, string>;
  csrf: string;
  get(path: string): Promise<Response>;
  /** Posts a form with the page's CSRF token (unless `_csrf` is given, even as ''). */
  post(path: string, form?: Record<string, string | string[]>): Promise<Response>;
  /** Posts a multipart form with files, token included. */
  upload(
    path: string,
    form: Record<string, string>,
    files: { field: string; name: string; bytes: Buffer; type?: string }[],
  ): Promise<Response>;
}

export const csrfIn = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** Decodes the HTML entities Handlebars writes, so tests compare text. */
export const text = (html: string) =>
  html
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x3D;/g, '=')
    .replace(/&#x60;/g, '`')
    .replace(/&amp;/g, '&');

export function adminBrowser(t: TestApp): AdminBrowser {
  const cookies = new Map<string, string>();
  const remember = (res: Response) => {
    for (const c of (res.headers['set-cookie'] as unknown as string[] | undefined) ?? []) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1);
      if (!value || /Expires=Thu, 01 Jan 1970/.test(c)) cookies.delete(pair.slice(0, eq));
      else cookies.set(pair.slice(0, eq), value);
    }
    const token = csrfIn(res.text ?? '');
    if (token) b.csrf = token;
    return res;
  };
  const withCookies = (req: Test) =>
    cookies.size ? req.set('Cookie', [...cookies].map(([k, v]) => `${k}=${v}`).join('; ')) : req;
  const b: AdminBrowser = {
    cookies,
    csrf: '',
    get: async (path) => remember(await withCookies(t.http().get(path))),
    post: async (path, form = {}) => {
      const body = new URLSearchParams();
      if (!('_csrf' in form)) body.append('_csrf', b.csrf);
      for (const [k, v] of Object.entries(form)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
      return remember(await withCookies(t.http().post(path).type('form').send(body.toString())));
    },
    upload: async (path, form, files) => {
      let req = withCookies(t.http().post(path)).field('_csrf', b.csrf);
      for (const [k, v] of Object.entries(form)) req = req.field(k, v);
      for (const f of files)
        req = req.attach(f.field, f.bytes, { filename: f.name, contentType: f.type ?? 'application/octet-stream' });
      return remember(await req);
    },
  };
  return b;
}

/** Signs in through /admin/login (password only); returns the browser, now on the page it was sent to. */
export async function adminSignIn(t: TestApp, username: string, password: string): Promise<AdminBrowser> {
  const b = adminBrowser(t);
  await b.get('/admin/login');
  const res = await b.post('/admin/login', { username, password });
  if (res.status !== 303) throw new Error(`login: ${res.status} ${res.text}`);
  await b.get(res.headers.location);
  return b;
}

/** A nested value as the flat fields of a back-office form ("details.bids[0].price.value"). */
export function formFields(value: Record<string, unknown>, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (Array.isArray(v))
      v.forEach((item, i) =>
        Object.assign(
          out,
          typeof item === 'object' && item
            ? formFields(item as Record<string, unknown>, `${name}[${i}]`)
            : { [`${name}[${i}]`]: String(item) },
        ),
      );
    else if (typeof v === 'object' && v !== null) Object.assign(out, formFields(v as Record<string, unknown>, name));
    else if (v !== undefined) out[name] = String(v);
  }
  return out;
}

/** Whether the input (or group) named `name` is marked invalid on the page, and its message. */
export function fieldError(html: string, name: string): string | null {
  const id = `f-${name.replace(/[^A-Za-z0-9]+/g, '-')}`;
  const m = new RegExp(`id="${id}-error">([^<]*)<`).exec(html);
  return m ? text(m[1]) : null;
}

/** The value an input shows. */
export function inputValue(html: string, name: string): string | null {
  const m = new RegExp(`name="${name.replace(/[.[\]]/g, '\\$&')}" value="([^"]*)"`).exec(html);
  return m ? text(m[1]) : null;
}
