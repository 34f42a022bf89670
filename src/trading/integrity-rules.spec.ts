import { WorkingDayCalendar } from '../domain/working-days.js';
import { DEFAULT_TIMING_RULES } from '../domain/timing-rules.js';
import {
  defaultThresholds,
  INDICATORS,
  lotFacts,
  lotFlags,
  marginRatio,
  projectFlags,
  tukeyFences,
  type ProjectInput,
  type Thresholds,
  type TrailNotice,
} from './integrity-rules.js';

const works: ProjectInput = {
  id: 'P1',
  category: 'construction',
  family: 'construction',
  regionCode: '210211',
  procurementMethod: null,
};
const at = (day: string) => new Date(`${day}T02:00:00Z`);
let seq = 0;
const notice = (type: string, details: Record<string, unknown>, day = '2026-11-25'): TrailNotice => ({
  id: `N${++seq}`,
  type,
  details,
  publishedAt: at(day),
});
const amount = (yuan: string) => ({ form: 'amount', value: yuan, unit: '元', yuan });
const bid = (code: string, price: Record<string, unknown>) => ({ bidder: `公司${code}`, creditCode: code, price });
const tender = (details: Record<string, unknown> = {}) =>
  notice('tender', {
    documentsFrom: '2026-11-25T10:00:00+08:00',
    bidDeadline: '2026-12-16T09:30:00+08:00',
    ...details,
  });
const opening = (...bids: ReturnType<typeof bid>[]) => notice('bid-opening', { bids });
const result = (...winners: { creditCode: string; price: Record<string, unknown>; lotCode?: string }[]) =>
  notice('result', { winners: winners.map((w) => ({ name: `公司${w.creditCode}`, ...w })) });

const flagsOf = (trail: TrailNotice[], t: Thresholds = defaultThresholds(), project = works) =>
  lotFacts(project, trail).flatMap((l) => lotFlags(l, t));
const ids = (trail: TrailNotice[], t?: Thresholds, project?: ProjectInput) =>
  flagsOf(trail, t, project).map((f) => f.indicator);
const withThreshold = (indicator: string, key: string, value: number) => {
  const t = defaultThresholds();
  t[indicator][key] = value;
  return t;
};

describe('integrity indicators: constructed cases per indicator (raised, not raised, at the threshold)', () => {
  it('defines every indicator with a name, a definition, what it reads and its source', () => {
    for (const i of INDICATORS) {
      expect([i.id, i.name.length > 0, i.definition.length > 10, i.reads.length > 0, i.source.length > 0]).toEqual([
        i.id,
        true,
        true,
        true,
        true,
      ]);
    }
    expect(INDICATORS.map((i) => i.id)).toHaveLength(10);
  });

  describe('single-bid (R018)', () => {
    it('is raised by an open tender whose bid opening has one bid', () => {
      expect(ids([tender(), opening(bid('A', amount('100')))])).toEqual(['single-bid']);
    });
    it('is not raised with two bids, or where the procedure is not open', () => {
      expect(ids([tender(), opening(bid('A', amount('100')), bid('B', amount('110')))])).toEqual([]);
      const negotiation = {
        ...works,
        category: 'procurement',
        family: 'procurement',
        procurementMethod: 'competitive-negotiation',
      };
      expect(
        ids(
          [notice('procurement', { method: 'competitive-negotiation' }), opening(bid('A', amount('100')))],
          undefined,
          negotiation,
        ),
      ).toEqual([]);
      const open = { ...negotiation, procurementMethod: 'open-tender' };
      expect(
        ids([notice('procurement', { method: 'open-tender' }), opening(bid('A', amount('100')))], undefined, open),
      ).toEqual(['single-bid']);
    });
    it('is not raised when the bid opening is withdrawn (the trail leaves it out)', () => {
      expect(ids([tender()])).toEqual([]);
    });
  });

  describe('few-bids (Tendering Law art. 28)', () => {
    const two = [tender(), opening(bid('A', amount('100')), bid('B', amount('110')))];
    it('is raised when an open tender with two bids is awarded', () => {
      expect(ids([...two, result({ creditCode: 'A', price: amount('100') })])).toEqual(['few-bids']);
    });
    it('is not raised before an award, nor at three bids, nor when the minimum is set to two', () => {
      expect(ids(two)).toEqual([]);
      const three = [tender(), opening(bid('A', amount('100')), bid('B', amount('110')), bid('C', amount('120')))];
      expect(ids([...three, result({ creditCode: 'A', price: amount('100') })])).toEqual([]);
      expect(
        ids([...two, result({ creditCode: 'A', price: amount('100') })], withThreshold('few-bids', 'minimumBids', 2)),
      ).toEqual([]);
    });
  });

  describe('identical-prices (R028)', () => {
    it('is raised by two different bidders quoting the same amount, naming both', () => {
      const flags = flagsOf([
        tender(),
        opening(bid('A', amount('100.00')), bid('B', amount('100')), bid('C', amount('90'))),
      ]);
      expect(flags).toEqual([
        { indicator: 'identical-prices', lotCode: '', values: { priceYuan: '100.00', bidders: ['A', 'B'] } },
      ]);
    });
    it('is not raised by equal rates (never compared) or different amounts', () => {
      const rate = { form: 'down-rate', value: '3.5', unit: '%' };
      expect(ids([tender(), opening(bid('A', rate), bid('B', rate))])).toEqual([]);
      expect(
        ids([tender(), opening(bid('A', amount('100.01')), bid('B', amount('100')), bid('C', amount('99')))]),
      ).toEqual([]);
    });
  });

  describe('close-to-control', () => {
    const trail = (win: string) => [
      tender({ controlPrice: amount('1000000') }),
      opening(bid('A', amount(win)), bid('B', amount('990000')), bid('C', amount('980000'))),
      result({ creditCode: 'A', price: amount(win) }),
    ];
    it('is raised when the only winner is within the fraction below the control price, at its edge too', () => {
      expect(ids(trail('996000'))).toEqual(['close-to-control']);
      expect(ids(trail('995000'))).toEqual(['close-to-control']); // exactly 0.5 %
    });
    it('is not raised just past the fraction, above the control price, or without a control price', () => {
      expect(ids(trail('994999'))).toEqual([]);
      expect(ids(trail('1000001'))).toEqual([]);
      expect(
        ids([tender(), opening(bid('A', amount('999'))), result({ creditCode: 'A', price: amount('999') })]).filter(
          (i) => i === 'close-to-control',
        ),
      ).toEqual([]);
    });
    it('takes the control price from a correction that changed it', () => {
      const corrected = [
        tender({ controlPrice: amount('2000000') }),
        notice('correction', { changes: { controlPrice: amount('1000000') } }),
        opening(bid('A', amount('999000')), bid('B', amount('990000')), bid('C', amount('980000'))),
        result({ creditCode: 'A', price: amount('999000') }),
      ];
      expect(ids(corrected)).toEqual(['close-to-control']);
    });
  });

  describe('cheapest-rejected (R036)', () => {
    const bids = opening(bid('A', amount('900')), bid('B', amount('950')), bid('C', amount('990')));
    it('is raised under a lowest-price method when the lowest bid is rejected, or does not win', () => {
      const rejected = notice('result', {
        winners: [{ name: 'B', creditCode: 'B', price: amount('950') }],
        rejectedBids: [{ bidder: '公司A', creditCode: 'A', reason: '未按要求提交投标保证金' }],
      });
      expect(flagsOf([tender({ evaluationMethod: 'lowest-price' }), bids, rejected])).toEqual([
        {
          indicator: 'cheapest-rejected',
          lotCode: '',
          values: { lowestBidder: 'A', lowestYuan: '900.00', rejected: 'yes', evaluationMethod: 'lowest-price' },
        },
      ]);
      expect(
        ids([
          tender({ evaluationMethod: 'lowest-evaluated-price' }),
          bids,
          result({ creditCode: 'B', price: amount('950') }),
        ]),
      ).toEqual(['cheapest-rejected']);
    });
    it('is not raised when the lowest wins, under a comprehensive method, or where the method is not recorded', () => {
      expect(
        ids([tender({ evaluationMethod: 'lowest-price' }), bids, result({ creditCode: 'A', price: amount('900') })]),
      ).toEqual([]);
      expect(
        ids([tender({ evaluationMethod: 'comprehensive' }), bids, result({ creditCode: 'B', price: amount('950') })]),
      ).toEqual([]);
      expect(ids([tender(), bids, result({ creditCode: 'B', price: amount('950') })])).toEqual([]);
    });
  });

  describe('narrow-margin and wide-discount (R024, R058): the ratio and the fences', () => {
    const lot = (trail: TrailNotice[]) => lotFacts(works, trail)[0];
    it('is (second-lowest valid − winning) / winning when the only winner made the lowest valid bid', () => {
      const trail = [
        tender(),
        opening(bid('A', amount('100')), bid('B', amount('110')), bid('C', amount('130'))),
        result({ creditCode: 'A', price: amount('100') }),
      ];
      expect(marginRatio(lot(trail))).toBe(0.1);
    });
    it('skips a rejected bid when it finds the lowest and second-lowest valid bids', () => {
      const trail = [
        tender(),
        opening(bid('A', amount('90')), bid('B', amount('100')), bid('C', amount('125'))),
        notice('result', {
          winners: [{ name: 'B', creditCode: 'B', price: amount('100') }],
          rejectedBids: [{ bidder: 'A', creditCode: 'A', reason: '报价低于成本' }],
        }),
      ];
      expect(marginRatio(lot(trail))).toBe(0.25);
    });
    it('has no ratio when the winner is not the lowest bid, or there are two winners (Cardinal exclusions)', () => {
      const bids = opening(bid('A', amount('100')), bid('B', amount('110')));
      expect(marginRatio(lot([tender(), bids, result({ creditCode: 'B', price: amount('110') })]))).toBeNull();
      expect(
        marginRatio(
          lot([
            tender(),
            bids,
            result({ creditCode: 'A', price: amount('100') }, { creditCode: 'B', price: amount('110') }),
          ]),
        ),
      ).toBeNull();
    });
    it('takes Q1 and Q3 by linear interpolation, and draws no fence below the minimum n or at IQR 0', () => {
      expect(tukeyFences([1, 2, 3, 4, 5, 6, 7, 8], 5)).toEqual({ n: 8, q1: 2.75, q3: 6.25, low: -2.5, high: 11.5 });
      expect(tukeyFences([1, 2, 3, 4], 5)).toBeNull();
      expect(tukeyFences([0.1, 0.1, 0.1, 0.1, 0.1, 0.1], 5)).toBeNull();
    });
  });

  describe('project indicators: short-period (R003) and repeated-extensions', () => {
    // Calendar days only here (the construction rule): no holiday needed, only the years loaded.
    const calendar = new WorkingDayCalendar([], [2026, 2027]);
    const flags = (trail: TrailNotice[], t = defaultThresholds()) =>
      projectFlags(works, trail, DEFAULT_TIMING_RULES, calendar, t).map((f) => [f.indicator, f.values]);
    it('raises short-period below the statutory minimum (20 days): 19 days is raised, 20 is not', () => {
      expect(flags([tender({ bidDeadline: '2026-12-14T09:30:00+08:00' })])).toEqual([
        [
          'short-period',
          {
            documentsFrom: '2026-11-25',
            bidDeadline: '2026-12-14',
            minimum: 20,
            unit: '日',
            threshold: 20,
            rule: 'construction.tender.documents-to-deadline',
          },
        ],
      ]);
      expect(flags([tender({ bidDeadline: '2026-12-15T09:30:00+08:00' })])).toEqual([]);
    });
    it('raises it below the minimum plus a configured share (20 days + 10 % = 22): 21 days is raised, 22 is not', () => {
      const t = withThreshold('short-period', 'shareAboveMinimum', 0.1);
      expect(
        flags([tender({ bidDeadline: '2026-12-16T09:30:00+08:00' })], t).map(([i, v]) => [
          i,
          (v as { threshold: number }).threshold,
        ]),
      ).toEqual([['short-period', 22]]);
      expect(flags([tender({ bidDeadline: '2026-12-17T09:30:00+08:00' })], t)).toEqual([]);
    });
    it('measures to the deadline as corrected, and raises repeated-extensions at two moves (a repeated date is no move)', () => {
      const move = (d: string) => notice('correction', { changes: { bidDeadline: d } });
      const base = tender({ bidDeadline: '2026-12-20T09:30:00+08:00' });
      expect(flags([base, move('2026-12-14T09:30:00+08:00')]).map(([i]) => i)).toEqual(['short-period']);
      expect(flags([base, move('2026-12-25T09:30:00+08:00'), move('2026-12-25T09:30:00+08:00')])).toEqual([]);
      expect(flags([base, move('2026-12-25T09:30:00+08:00'), move('2026-12-28T09:30:00+08:00')])).toEqual([
        ['repeated-extensions', { moves: 2, deadline: '2026-12-28T09:30:00+08:00' }],
      ]);
    });
    it('leaves short-period uncomputed when the working-day calendar lacks the year, instead of failing', () => {
      const empty = new WorkingDayCalendar([], []);
      const procurement = {
        ...works,
        category: 'procurement',
        family: 'procurement',
        procurementMethod: 'competitive-negotiation',
      };
      expect(
        projectFlags(
          procurement,
          [
            notice('procurement', {
              method: 'competitive-negotiation',
              documentsFrom: '2030-01-02T10:00:00+08:00',
              bidDeadline: '2030-01-03T10:00:00+08:00',
            }),
          ],
          DEFAULT_TIMING_RULES,
          empty,
          defaultThresholds(),
        ),
      ).toEqual([]);
    });
  });
});
