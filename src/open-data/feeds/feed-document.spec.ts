import { escapeHtml } from '../../http/html.js';
import { asHtml, xml } from './feed-document.js';

// The feed's escapes take shortcuts (a quick test for characters XML forbids, HTML and XML escaping in one pass);
// they must write what the plain definitions write, for every UTF-16 unit and around surrogates.
describe('feed text escaping', () => {
  const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;
  const plainXml = (s: string) =>
    s.replace(NOT_XML, '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
  const plainHtmlInXml = (s: string) => plainXml(escapeHtml(s.replace(NOT_XML, '')));

  const samples: string[] = [];
  for (let unit = 0; unit <= 0xffff; unit++) samples.push(`招标${String.fromCharCode(unit)}公告`);
  samples.push(
    '😀 emoji pair',
    '\uD83D lone high',
    'lone low \uDE00',
    '\uDE00\uD83D reversed pair',
    '\uD83D\uD83D\uDE00 high then pair',
    '\u{10FFFF} last plane',
    '\u{1FFFE} astral non-character',
    'A&B<公司>"引号" \'单\' `反` = <script>alert(1)</script> ]]>',
    '\u0000\u0008\u000B\u000C\u001F\t\n\r\uFFFE\uFFFF\uFFFD',
  );

  it('writes XML text as the plain definition does', () => {
    expect(samples.filter((s) => xml(s) !== plainXml(s))).toEqual([]);
  });

  it('writes HTML-in-XML text as xml(escapeHtml(text)) does', () => {
    expect(samples.filter((s) => asHtml(s) !== plainHtmlInXml(s))).toEqual([]);
    expect(asHtml('<b>A&B</b>')).toBe('&amp;lt;b&amp;gt;A&amp;amp;B&amp;lt;/b&amp;gt;');
  });
});
