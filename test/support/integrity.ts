import { constructionProject, creditCode, tenderNotice } from './fixtures.js';
import { bidder, type Publisher } from './open-data.js';

/**
 * A works project for the integrity tests: its tender, a bid opening of bidders `n` (credit code 100 + n) with
 * their prices in 元 and, when a winner is given, the result.
 */
export async function works(
  pub: Publisher,
  bids: [number, string][],
  options: {
    winner?: number;
    winnerPrice?: string;
    tender?: Record<string, unknown>;
    noTender?: boolean;
    project?: Record<string, unknown>;
  } = {},
) {
  const projectId = await pub.project(constructionProject({ lots: [], ...options.project }));
  const tender = options.noTender ? null : await pub.publish(tenderNotice(projectId, options.tender));
  const opening = await pub.publish({
    projectId,
    type: 'bid-opening',
    title: '开标记录',
    body: '开标记录如下。',
    details: { openingTime: '2026-11-24 09:30', bids: bids.map(([n, price]) => bidder(n, `投标单位${n}`, price)) },
  });
  let result: { id: string } | null = null;
  if (options.winner !== undefined) {
    const price = options.winnerPrice ?? bids.find(([n]) => n === options.winner)![1];
    result = await pub.publish({
      projectId,
      type: 'result',
      title: '中标结果公告',
      body: '中标结果如下。',
      details: {
        decisionDate: '2026-11-24',
        winners: [
          {
            name: `投标单位${options.winner}`,
            creditCode: creditCode(100 + options.winner),
            price: { form: 'amount', value: price, unit: '元' },
          },
        ],
      },
    });
  }
  return { projectId, tender, opening, result };
}
