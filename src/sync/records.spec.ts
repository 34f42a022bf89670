import { detailsAsInput, importedId, noticeInput, projectInput } from './records.js';

describe('records between platforms', () => {
  it.each([
    ['WFD', '2026-001', 'WFD-2026-001'],
    ['WFD', 'WFD-2026-001', 'WFD-2026-001'],
    ['DL2102', 'DL2102-1m89dpf2wfg1a9', 'DL2102-1m89dpf2wfg1a9'],
    ['DL2102', 'DL21020-x', 'DL2102-DL21020-x'],
  ])('a record of %s with id %s is stored as %s', (platform, id, local) => {
    expect(importedId(platform, id)).toBe(local);
  });

  it('turns stored details back into staff-API input by dropping only the derived yuan of amounts and prices', () => {
    const stored = {
      controlPrice: { value: '1200', unit: '万元', yuan: '12000000.00' },
      bids: [
        { bidder: '大连市政建设集团有限公司', price: { form: 'down-rate', value: '3.5', unit: '%' } },
        { bidder: '辽宁路桥', price: { form: 'amount', value: '1180', unit: '万元', yuan: '11800000.00' } },
      ],
      note: { yuan: 'not an amount: kept' },
      bidDeadline: '2026-12-16T09:30:00+08:00',
    };
    expect(detailsAsInput(stored)).toEqual({
      controlPrice: { value: '1200', unit: '万元' },
      bids: [
        { bidder: '大连市政建设集团有限公司', price: { form: 'down-rate', value: '3.5', unit: '%' } },
        { bidder: '辽宁路桥', price: { form: 'amount', value: '1180', unit: '万元' } },
      ],
      note: { yuan: 'not an amount: kept' },
      bidDeadline: '2026-12-16T09:30:00+08:00',
    });
  });

  it("reads a project's public JSON as project input, leaving out what is derived or shown only", () => {
    const input = projectInput({
      id: 'DL2102-A1',
      ocid: 'ocds-dl2102-A1',
      dealCode: 'A1',
      tenderCode: 'T1',
      investmentCode: null,
      sourcePlatform: 'DL2102',
      category: 'construction',
      categoryName: '工程建设招投标',
      region: { code: '210211', name: '甘井子区' },
      name: '道路工程',
      summary: null,
      price: { kind: 'budget', value: '1234.56', unit: '万元', yuan: '12345600.00' },
      procurementMethod: null,
      transferMode: null,
      fundingSource: '财政资金',
      fullyOnline: true,
      bidDeadline: '2026-12-16T09:30:00+08:00',
      firstPublishedAt: '2026-11-25T10:00:00+08:00',
      parties: [
        {
          role: 'tenderer',
          roleName: '招标人',
          name: '甘井子区城建局',
          creditCode: '91350100M000100Y43',
          address: null,
        },
      ],
      lots: [{ code: 'L1', name: '第一标段', budget: { value: '1234.56', unit: '万元', yuan: '12345600.00' } }],
      links: { html: 'http://x/projects/DL2102-A1' },
    });
    expect(input).toEqual({
      id: 'DL2102-A1',
      sourcePlatform: 'DL2102',
      dealCode: 'A1',
      tenderCode: 'T1',
      investmentCode: null,
      category: 'construction',
      regionCode: '210211',
      name: '道路工程',
      summary: null,
      price: { kind: 'budget', value: '1234.56', unit: '万元' },
      procurementMethod: null,
      transferMode: null,
      fundingSource: '财政资金',
      fullyOnline: true,
      parties: [{ role: 'tenderer', name: '甘井子区城建局', creditCode: '91350100M000100Y43', address: null }],
      lots: [{ code: 'L1', name: '第一标段', budget: { value: '1234.56', unit: '万元' } }],
    });
    expect(projectInput('not an object')).toMatchObject({ regionCode: undefined });
  });

  it("reads a notice's public JSON as notice input", () => {
    expect(
      noticeInput({
        id: 'DL2102-n',
        typeName: '招标公告',
        withdrawn: null,
        logSeq: 7,
        links: {},
        title: '招标公告',
        contentHash: 'ab',
      }),
    ).toEqual({ id: 'DL2102-n', title: '招标公告', contentHash: 'ab' });
  });
});
