import QRCode from 'qrcode';

/** QR codes kept: each costs milliseconds to draw, and a hot notice page would draw the same one on every request. */
const QR_CACHE_ENTRIES = 500;
const drawn = new Map<string, Promise<string>>();

/** A QR code of `url` as inline SVG (no script, no inline style: allowed by the CSP), labelled for screen readers. */
export function qrSvg(url: string, label: string): Promise<string> {
  const key = `${url}\n${label}`;
  const hit = drawn.get(key);
  if (hit) {
    // Least recently used goes first: a Map iterates in insertion order, so re-inserting marks it as recent.
    drawn.delete(key);
    drawn.set(key, hit);
    return hit;
  }
  const svg = draw(url, label);
  drawn.set(key, svg);
  svg.catch(() => drawn.delete(key));
  if (drawn.size > QR_CACHE_ENTRIES) drawn.delete(drawn.keys().next().value!);
  return svg;
}

async function draw(url: string, label: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const escaped = label.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return svg.trim().replace('<svg ', `<svg class="qr" role="img" aria-label="${escaped}" focusable="false" `);
}
