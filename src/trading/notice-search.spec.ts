import { searchDocument, withOlder } from './notice-search.js';

describe('what of a notice is searchable', () => {
  const notice = {
    id: 'DL2102-1',
    publishedAt: new Date('2026-11-25T02:00:00Z'),
    title: '红旗西路道路改造工程开标记录',
    body: '开标记录如下。',
    type: 'bid-opening',
    category: 'municipal',
    regionCode: '210211',
    details: {
      openingTime: '2026-11-24T09:30:00+08:00',
      documentsTo: '2026-12-01',
      controlPrice: { value: '1200', unit: '万元' },
      bids: [{ bidder: '大连建工集团有限公司', price: { form: 'amount', value: '1180.5', unit: '万元' } }],
      consortiumAccepted: false,
    },
  };

  it('folds title, body, the words of the details, the project and its parties into one text', () => {
    const d = searchDocument(
      notice,
      { name: '甘井子区红旗西路道路改造工程', dealCode: 'A02-2102-T1', tenderCode: 'E2102000001' },
      [{ name: '大连市甘井子区城市建设管理局' }],
    );
    expect(d).toMatchObject({ noticeId: 'DL2102-1', publishedAt: notice.publishedAt });
    // And the keys of its category and region, for searches narrowed by them, and of its type (and category) in
    // its region.
    expect(d.filterKeys.sort()).toEqual([
      '#j',
      '$F21',
      '$F2102',
      '$F210211',
      '&j21',
      '&j2102',
      '&j210211',
      '@21',
      '@2102',
      '@210211',
      'Fj21',
      'Fj2102',
      'Fj210211',
    ]);
    const lines = d.content.split('\n');
    expect(lines).toEqual(
      expect.arrayContaining([
        '红旗西路道路改造工程开标记录',
        '开标记录如下。',
        '大连建工集团有限公司',
        '甘井子区红旗西路道路改造工程',
        'e2102000001',
        'a02-2102-t1',
        '大连市甘井子区城市建设管理局',
      ]),
    );
    // Dates and times are for the date filters, not words.
    expect(d.content).not.toContain('2026-11-24');
    expect(d.content).not.toContain('2026-12-01');
  });

  it('still indexes a notice whose project is gone', () => {
    expect(searchDocument(notice, null, []).content.split('\n')[0]).toBe('红旗西路道路改造工程开标记录');
  });
});

describe("a search's candidates with older instants read otherwise", () => {
  const matcher = (instants: number[]) => ({
    keys: ['道路'],
    exact: true,
    most: instants.length,
    take: async (count: number) => instants.splice(0, count),
  });

  it("gives the matcher's instants, then the older ones, newest first, a window at a time", async () => {
    const c = withOlder(matcher([90, 80, 70]), [20, 10]);
    expect({ keys: c.keys, exact: c.exact, most: c.most }).toEqual({ keys: ['道路'], exact: false, most: 5 });
    expect(await c.take(2)).toEqual([90, 80]);
    expect(await c.take(2)).toEqual([70, 20]);
    expect(await c.take(2)).toEqual([10]);
    expect(await c.take(2)).toEqual([]);
  });

  it('gives the older ones alone when no key can match in the range', async () => {
    const c = withOlder(null, [20, 10]);
    expect(c.most).toBe(2);
    expect(await c.take(5)).toEqual([20, 10]);
  });
});
