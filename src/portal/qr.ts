import QRCode from 'qrcode';

/** A QR code of `url` as inline SVG (no script, no inline style: allowed by the CSP), labelled for screen readers. */
export async function qrSvg(url: string, label: string): Promise<string> {
  const svg = await QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  const escaped = label.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  return svg.trim().replace('<svg ', `<svg class="qr" role="img" aria-label="${escaped}" focusable="false" `);
}
