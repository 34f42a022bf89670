import {
  CATEGORIES,
  categoryBySlug,
  EVALUATION_METHODS,
  evaluationMethodName,
  isNoticeTypeAllowed,
  isValidRegionCode,
  NOTICE_TYPES,
  noticeTypeBySlug,
  partyRoleLabel,
  PROCUREMENT_EVALUATION_METHODS,
  regionName,
  regionPrefix,
  REGIONS,
} from './catalog.js';

describe('categories and notice types', () => {
  it('lists the ten categories with unique URL-safe slugs', () => {
    expect(CATEGORIES).toHaveLength(10);
    for (const list of [CATEGORIES, NOTICE_TYPES]) {
      const slugs = list.map((x) => x.slug);
      expect(new Set(slugs).size).toBe(slugs.length);
      slugs.forEach((slug) => expect(slug).toMatch(/^[a-z]+(-[a-z]+)*$/));
    }
  });

  it.each([
    ['construction', '工程建设招投标', 'construction'],
    ['land-mining', '土地使用权和矿业权出让', 'transfer'],
    ['medical', '医疗器械和耗材采购', 'procurement'],
    ['municipal', '市政和园林绿化工程', 'construction'],
  ])('categoryBySlug(%s)', (slug, name, family) => {
    expect(categoryBySlug(slug)).toEqual({ slug, name, family });
  });

  it.each([
    ['tender', '招标公告', 'announcement', 'publication'],
    ['correction', '澄清/更正公告', 'announcement', 'correction'],
    ['withdrawal', '撤回声明', 'announcement', 'withdrawal'],
    ['candidates', '中标候选人公示', 'result', 'publication'],
  ])('noticeTypeBySlug(%s)', (slug, name, stage, kind) => {
    expect(noticeTypeBySlug(slug)).toMatchObject({ slug, name, stage, kind });
  });

  it.each(['Construction', 'construction ', '', 'toString', '__proto__'])('finds nothing for %j', (slug) => {
    expect(categoryBySlug(slug)).toBeUndefined();
    expect(noticeTypeBySlug(slug)).toBeUndefined();
  });

  it('keeps the national platform stage codes', () => {
    expect(noticeTypeBySlug('result')?.stageCodes).toEqual({ construction: '0104', procurement: '0202' });
    expect(noticeTypeBySlug('correction')?.stageCodes).toEqual({ procurement: '0204' });
  });

  it.each([
    ['tender', 'construction', true],
    ['tender', 'highway', true],
    ['tender', 'procurement', false],
    ['procurement', 'medical', true],
    ['procurement', 'water', false],
    ['candidates', 'port', true],
    ['candidates', 'procurement', false],
    ['bid-opening', 'procurement', true],
    ['bid-opening', 'land-mining', false],
    ['transfer', 'land-mining', true],
    ['transfer', 'state-assets', true],
    ['transfer', 'construction', false],
    ['auction', 'property-rights', true],
    ['deal', 'municipal', false],
    ['abnormal', 'water', true],
    ['abnormal', 'procurement', false],
    ['correction', 'property-rights', true],
    ['withdrawal', 'medical', true],
    ['termination', 'land-mining', true],
    ['contract', 'highway', true],
    ['tender', 'nowhere', false],
    ['nothing', 'construction', false],
  ])('isNoticeTypeAllowed(%s, %s) = %s', (type, category, allowed) => {
    expect(isNoticeTypeAllowed(type, category)).toBe(allowed);
  });

  it.each([
    ['transferor', '出让方/转让方'],
    ['agency', '代理机构'],
    ['bidder', undefined],
  ])('partyRoleLabel(%s) = %s', (role, label) => {
    expect(partyRoleLabel(role)).toBe(label);
  });
});

describe('evaluation methods (评标办法)', () => {
  it('keeps its slugs', () => {
    expect(EVALUATION_METHODS.map((m) => m.slug)).toEqual(['comprehensive', 'lowest-evaluated-price', 'lowest-price']);
    expect(PROCUREMENT_EVALUATION_METHODS.map((m) => m.slug)).toEqual(['comprehensive', 'lowest-price']);
  });

  it.each([
    ['comprehensive', 'construction', '综合评估法'],
    ['comprehensive', 'procurement', '综合评分法'],
    ['lowest-evaluated-price', 'construction', '经评审的最低投标价法'],
    ['lowest-evaluated-price', 'procurement', '经评审的最低投标价法'],
    ['lowest-price', 'construction', '最低投标价法'],
    ['lowest-price', 'procurement', '最低评标价法'],
    ['lowest-price', undefined, '最低投标价法'],
    ['cheapest', 'construction', undefined],
    [undefined, 'construction', undefined],
  ] as const)('evaluationMethodName(%s, %s) = %s', (slug, family, name) => {
    expect(evaluationMethodName(slug, family)).toBe(name);
  });
});

describe('regions', () => {
  it.each([
    ['210000', '21'],
    ['210200', '2102'],
    ['210213', '210213'],
    ['210282', '210282'],
    ['110000', '11'],
    ['110100', '1101'],
    ['100000', '10'],
    ['210010', '210010'],
  ])('regionPrefix(%s) = %s', (code, prefix) => {
    expect(regionPrefix(code)).toBe(prefix);
    expect(code.startsWith(prefix)).toBe(true);
  });

  it.each(['', '21', '2102000', '21020a', '000000', '２１０２００'])('rejects %j', (code) => {
    expect(isValidRegionCode(code)).toBe(false);
    expect(() => regionPrefix(code)).toThrow(expect.objectContaining({ code: 'region.invalid' }));
  });

  it.each([
    ['210000', '辽宁省'],
    ['210200', '大连市'],
    ['210214', '普兰店区'],
    ['210282', '普兰店市'],
    ['440300', undefined], // valid, but not one of ours
  ])('regionName(%s) = %s', (code, name) => {
    expect(isValidRegionCode(code)).toBe(true);
    expect(regionName(code)).toBe(name);
  });

  it('puts every Dalian district under Dalian, and Dalian under Liaoning', () => {
    const dalian = REGIONS.filter((r) => r.parent === '210200');
    expect(dalian).toHaveLength(11);
    dalian.forEach((r) => expect(r.code.startsWith(regionPrefix('210200'))).toBe(true));
    expect(REGIONS.find((r) => r.code === '210200')?.parent).toBe('210000');
    expect(REGIONS.filter((r) => r.historical).map((r) => r.code)).toEqual(['210282']);
  });
});
