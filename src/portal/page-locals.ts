import type { NextFunction, Request, Response } from 'express';
import { readCookie } from '../auth/staff-auth.js';
import type { AppConfig } from '../config/config.js';
import { PORTAL_TEXT } from './messages.js';

export const DISPLAY_COOKIE = 'ggzy_display';

const NAV = [
  { href: '/', label: PORTAL_TEXT.nav.home, match: /^\/$/ },
  { href: '/notices', label: PORTAL_TEXT.nav.notices, match: /^\/(notices|projects)(\/|$)/ },
  { href: '/organizations', label: PORTAL_TEXT.nav.organizations, match: /^\/organizations(\/|$)/ },
  { href: '/statistics', label: PORTAL_TEXT.nav.statistics, match: /^\/statistics(\/|$)/ },
  { href: '/transparency', label: PORTAL_TEXT.nav.transparency, match: /^\/transparency(\/|$)/ },
  { href: '/api/docs', label: PORTAL_TEXT.nav.openData, match: /^\/api\/docs(\/|$)/ },
];

/** Only a path on this site may be returned to after switching the display mode (no open redirect). */
export function safeReturnPath(back: unknown): string {
  return typeof back === 'string' && /^\/(?![/\\])/.test(back) && back.length <= 2000 && !/[\r\n]/.test(back)
    ? back
    : '/';
}

/**
 * What the layout needs on every page, the error page included: the site's name and footer identifiers,
 * the navigation with the current section marked, and the display mode chosen by cookie.
 */
export function pageLocals(config: AppConfig) {
  const site = { ...config.site, portalName: PORTAL_TEXT.portalName };
  return (req: Request, res: Response, next: NextFunction) => {
    const largeText = readCookie(req, DISPLAY_COOKIE) === 'large';
    const back = encodeURIComponent(req.originalUrl);
    res.locals.site = site;
    res.locals.largeText = largeText;
    res.locals.nav = NAV.map((n) => ({ href: n.href, label: n.label, current: n.match.test(req.path) }));
    res.locals.displayToggle = largeText
      ? { href: `/display/standard?back=${back}`, label: PORTAL_TEXT.display.standard }
      : { href: `/display/large-text?back=${back}`, label: PORTAL_TEXT.display.large };
    next();
  };
}
