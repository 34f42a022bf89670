import { redactUrl } from './log-redaction.js';

describe('redactUrl: what the access log keeps of a request target', () => {
  it.each([
    // private path segments
    ['/alerts/confirm/4f9c2e1a7b', '/alerts/confirm/[redacted]'],
    ['/alerts/unsubscribe/4f9c2e1a7b?from=mail', '/alerts/unsubscribe/[redacted]?from=mail'],
    ['/alerts/4f9c2e1a7b', '/alerts/[redacted]'],
    ['/alerts/4f9c2e1a7b/edit', '/alerts/[redacted]/edit'],
    ['/api/v1/alerts/confirm/4f9c2e1a7b', '/api/v1/alerts/confirm/[redacted]'],
    ['/disclosure/requests/YS20250602-8KQ3', '/disclosure/requests/[redacted]'],
    ['/disclosure/requests/YS20250602-8KQ3/reply.pdf', '/disclosure/requests/[redacted]/reply.pdf'],
    ['/api/v1/disclosure/requests/YS20250602-8KQ3', '/api/v1/disclosure/requests/[redacted]'],
    ['/disclosure/requests/YSQ2026-000123?code=ABCD-EFGH-JKLM', '/disclosure/requests/[redacted]?code=[redacted]'],
    ['/disclosure/requests/YSQ2026-000123/files/4', '/disclosure/requests/[redacted]/files/4'],
    ['/disclosure/requests/new', '/disclosure/requests/new'],
    ['/disclosure/requests/newer', '/disclosure/requests/[redacted]'],
    ['/%61lerts/confirm/4f9c2e1a7b', '/alerts/confirm/[redacted]'],
    // secret query values, by parameter name
    ['/api/v1/notices?token=abc123&type=tender', '/api/v1/notices?token=[redacted]&type=tender'],
    [
      '/x?api_key=k1&apiKey=k2&access_token=t&X-Signature=s',
      '/x?api_key=[redacted]&apiKey=[redacted]&access_token=[redacted]&X-Signature=[redacted]',
    ],
    [
      '/x?password=hunter2&newPassword=p2&code=123456&_csrf=c',
      '/x?password=[redacted]&newPassword=[redacted]&code=[redacted]&_csrf=[redacted]',
    ],
    ['/x?trackingNo=YS1&sessionToken=s', '/x?trackingNo=[redacted]&sessionToken=[redacted]'],
    // personal data: an address put in a query string (an alert sign-up sent by GET)
    ['/alerts?category=construction&email=a%40b.cn', '/alerts?category=construction&email=[redacted]'],
    ['/alerts/AbC_-0/feed.rss', '/alerts/[redacted]/feed.rss'],
    // left alone
    [
      '/notices?keyword=%E9%81%93%E8%B7%AF&type=tender&page=2',
      '/notices?keyword=%E9%81%93%E8%B7%AF&type=tender&page=2',
    ],
    ['/notices/DL2102-20250602-ABCDEFGH', '/notices/DL2102-20250602-ABCDEFGH'],
    ['/admin/login?next=%2Fadmin%2Fusers', '/admin/login?next=%2Fadmin%2Fusers'],
    [
      '/api/v1/changes?after=10&limit=1000&platformCode=DL2102',
      '/api/v1/changes?after=10&limit=1000&platformCode=DL2102',
    ],
    ['/alerts', '/alerts'],
    ['/bad%escape?x=%zz', '/bad%escape?x=%zz'],
  ])('%s → %s', (url, logged) => {
    expect(redactUrl(url)).toBe(logged);
  });
});
