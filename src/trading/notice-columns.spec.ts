import type { NoticeColumns, NoticePage } from './notice-query.service.js';

/**
 * A list read with `columns` is typed as what it read (NoticeQueryService.list): printing a property it did not
 * read is a compile error (`npm run lint` runs the type check), not an `undefined` on a page.
 */
function printsWhatItRead(page: NoticePage<NoticeColumns<'title' | 'publishedAt'>>): string[] {
  return page.items.map((n) => {
    // @ts-expect-error the details were not read
    void n.details;
    // @ts-expect-error nor the body
    void n.body;
    return `${n.id} ${n.title} ${n.publishedAt?.toISOString()}`;
  });
}

describe('a list read with columns', () => {
  it('holds the id and the columns read', () => {
    const page = {
      items: [{ id: 'N1', title: '标题', publishedAt: new Date(0) }],
      total: 1,
      totalExact: true,
      next: null,
    };
    expect(printsWhatItRead(page)).toEqual(['N1 标题 1970-01-01T00:00:00.000Z']);
  });
});
