import { isNotModified } from './conditional-request.js';

describe('isNotModified: when a GET may be answered 304', () => {
  const weak = 'W/"abc"';
  const strong = '"abc"';
  const lastModified = new Date('2026-11-25T02:00:00.750Z');
  const at = 'Wed, 25 Nov 2026 02:00:00 GMT';

  it.each<[string, Record<string, string>, string, Date | null, boolean]>([
    ['no validators sent', {}, weak, lastModified, false],
    ['the same weak tag', { 'if-none-match': weak }, weak, null, true],
    ['the strong form of our weak tag (weak comparison)', { 'if-none-match': strong }, weak, null, true],
    ['the weak form of our strong tag', { 'if-none-match': weak }, strong, null, true],
    ['another tag', { 'if-none-match': 'W/"abd"' }, weak, null, false],
    ['a list holding ours', { 'if-none-match': 'W/"x", W/"abc" ,"y"' }, weak, null, true],
    ['a list without ours', { 'if-none-match': 'W/"x", "y"' }, weak, null, false],
    ['*', { 'if-none-match': '*' }, weak, null, true],
    ['a tag unquoted (malformed)', { 'if-none-match': 'abc' }, weak, null, false],
    [
      'Cache-Control: no-cache with a matching tag (the origin validates)',
      { 'cache-control': 'no-cache', 'if-none-match': weak },
      weak,
      null,
      true,
    ],
    [
      'Cache-Control: no-cache, max-age=0 with a matching tag',
      { 'cache-control': 'max-age=0, no-cache', 'if-none-match': weak },
      weak,
      lastModified,
      true,
    ],
    ['Pragma: no-cache with a matching tag', { pragma: 'no-cache', 'if-none-match': weak }, weak, null, true],
    [
      'Cache-Control: no-cache with another tag',
      { 'cache-control': 'no-cache', 'if-none-match': '"zzz"' },
      weak,
      null,
      false,
    ],
    ['If-Modified-Since at Last-Modified (to the second)', { 'if-modified-since': at }, weak, lastModified, true],
    [
      'If-Modified-Since after Last-Modified',
      { 'if-modified-since': 'Thu, 26 Nov 2026 00:00:00 GMT' },
      weak,
      lastModified,
      true,
    ],
    [
      'If-Modified-Since before Last-Modified',
      { 'if-modified-since': 'Wed, 25 Nov 2026 01:59:59 GMT' },
      weak,
      lastModified,
      false,
    ],
    [
      'If-Modified-Since with Cache-Control: no-cache',
      { 'cache-control': 'no-cache', 'if-modified-since': at },
      weak,
      lastModified,
      true,
    ],
    ['If-Modified-Since unparseable', { 'if-modified-since': 'yesterday' }, weak, lastModified, false],
    ['If-Modified-Since with no Last-Modified known', { 'if-modified-since': at }, weak, null, false],
    [
      'If-None-Match decides over If-Modified-Since (tag differs)',
      { 'if-none-match': '"other"', 'if-modified-since': at },
      weak,
      lastModified,
      false,
    ],
    [
      'If-None-Match decides over If-Modified-Since (tag matches, date old)',
      { 'if-none-match': weak, 'if-modified-since': 'Mon, 01 Jan 2001 00:00:00 GMT' },
      weak,
      lastModified,
      true,
    ],
  ])('%s', (_, headers, etag, modified, expected) => {
    expect(isNotModified('GET', headers, { etag, lastModified: modified })).toBe(expected);
  });

  it('answers HEAD like GET and never other methods', () => {
    expect(isNotModified('HEAD', { 'if-none-match': weak }, { etag: weak })).toBe(true);
    expect(isNotModified('POST', { 'if-none-match': weak }, { etag: weak })).toBe(false);
  });
});
