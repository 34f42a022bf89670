export const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#x27;',
  '`': '&#x60;',
  '=': '&#x3D;',
};

/** Text as HTML that shows exactly these characters: for pages and for feed fields a reader renders as HTML. */
export const escapeHtml = (s: string) => s.replace(/[&<>"'`=]/g, (c) => HTML_ESCAPES[c]);
