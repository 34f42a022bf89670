import type { Actor } from '../auth/actor.js';
import type { ReportsService } from '../reports/reports.service.js';

/**
 * The demo's yearly disclosure reports: last year's published (drafted by a clerk, approved by the reviewer, so
 * its figures are frozen, and entered in the publication log), this year's a draft. The portal went live on
 * 1 January after a trial run in the last quarter of last year (demo-data.ts): last year's report counts the few
 * projects of the trial, and this year's draft carries last year's whole-year figures as staff would enter them
 * from the old platform's report (about 15% below this year's, marked as entered), so that its year-on-year
 * changes compare like with like.
 */
export async function seedAnnualReports(reports: ReportsService, clerk: Actor, reviewer: Actor): Promise<number> {
  const year = reports.currentYear();
  const last = year - 1;
  await reports.save(clerk, last, {
    overview:
      `${last}年，中心认真贯彻落实《中华人民共和国政府信息公开条例》，坚持“以公开为常态、不公开为例外”，交易公告、` +
      `中标（成交）结果和合同信息均在规定时限内公开。\n本门户于${year}年1月启用，${last}年第四季度试运行；` +
      `本报告表格中的交易数字为试运行期间在本门户公开的项目，${last}年的其余交易信息在原交易平台公开，全年交易情况见原平台的统计。`,
    problems:
      '一是交易信息分散在原交易平台和各行业网站，查询不便；二是依申请公开仍以信函和当面提交为主。\n' +
      `${year}年，中心将启用新的公共资源交易信息公开门户，集中公开全流程交易信息，并开通依申请公开网上办理。`,
    other: '本年度未收取信息处理费。',
  });
  await reports.submit(clerk, last);
  await reports.publish(reviewer, last);

  const draft = await reports.compute(year, null);
  const figure = (item: string) => draft.overview.figures.find((f) => f.item === item)!.current ?? '0';
  const less = (v: string) => (BigInt(v) * 85n) / 100n;
  const amountFen = less(figure('交易金额'));
  await reports.save(clerk, year, {
    overview:
      `${year}年，中心启用公共资源交易信息公开门户，以门户为政府信息公开的第一平台，交易公告、开标记录、中标（成交）结果、` +
      '合同和履约信息均在规定时限内发布，并通过开放数据接口同步提供；开通依申请公开网上办理，答复均在法定期限内作出。',
    problems:
      '一是部分交易主体对依申请公开的渠道和时限了解不够，网上申请使用率有待提高；二是合同履约信息的公开还不够及时。\n' +
      `${year + 1}年，中心将在门户首页增加依申请公开指引，并按月核对合同公告和履约信息的发布情况，督促招标人、采购人按时提供。`,
    other: `${last}年的交易数字为本门户启用前的统计，由工作人员按原平台的年度统计录入。本年度未收取信息处理费。`,
    itemsTotal: String(less(figure('公开公共资源交易信息'))),
    completed: String(less(figure('完成交易项目'))),
    amountYuan: `${amountFen / 100n}.${String(amountFen % 100n).padStart(2, '0')}`,
    requestsReceived: '4',
  });
  return 2;
}
