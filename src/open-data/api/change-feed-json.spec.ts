import { noticeCatalogFields } from '../public-json.js';
import { ChangePageWriter } from './change-feed-json.js';

describe('ChangePageWriter', () => {
  it('writes each entry with the catalog fields of its own type, category and region (kept per combination)', () => {
    // One type under two categories and two regions, repeated: a piece kept under too coarse a key shows here.
    const codes = [
      ['tender', 'construction', '210202'],
      ['tender', 'highway', '210202'],
      ['tender', 'construction', '210203'],
      ['correction', 'construction', '210202'],
      ['tender', 'highway', '210202'],
      ['tender', 'construction', '210202'],
    ];
    const log = codes.map((_, i) => ({
      seq: i + 1,
      notice_id: `N${i}`,
      project_id: 'P1',
      json: Buffer.from(`{"seq":${i + 1},"notice":`),
    }));
    const notices = new Map(
      codes.map(([type, category, region], i) => [
        `N${i}`,
        {
          id: `N${i}`,
          project_id: 'P1',
          type,
          category,
          region_code: region,
          head: Buffer.from(`{"id":"N${i}","type":"${type}"`),
          tail: Buffer.from(`,"title":"标题${i}"`),
        },
      ]),
    );
    const writer = new ChangePageWriter({ baseUrl: 'https://ggzy.example.cn', ocidPrefix: 'ocds-x-' });
    const page = JSON.parse(
      writer
        .page(
          { next: 'c', more: false, links: { next: 'l' }, items: [] },
          { log, notices, projects: new Map([['P1', 'D1']]) },
        )
        .toString(),
    ) as { next: string; items: { seq: number; notice: Record<string, unknown> }[] };
    expect(page.next).toBe('c');
    expect(page.items.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    page.items.forEach((e, i) => {
      const [type, category, region] = codes[i];
      expect(e.notice).toMatchObject({
        id: `N${i}`,
        title: `标题${i}`,
        ...noticeCatalogFields(type, category, region),
      });
      expect(e.notice.links).toMatchObject({ project: 'https://ggzy.example.cn/api/v1/projects/P1' });
    });
  });
});
