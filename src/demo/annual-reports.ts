import type { Actor } from '../auth/actor.js';
import type { ReportsService } from '../reports/reports.service.js';

/**
 * The demo's yearly disclosure reports: last year's published (drafted by a clerk, approved by the reviewer, so
 * its figures are frozen), this year's a draft. The previous year of last year's report predates the demo data,
 * so its figures are entered as staff would from the old printed report (about 15% below, marked as entered).
 */
export async function seedAnnualReports(reports: ReportsService, clerk: Actor, reviewer: Actor): Promise<number> {
  const year = reports.currentYear();
  const last = year - 1;
  const draft = await reports.compute(last, null);
  const figure = (item: string) => draft.overview.figures.find((f) => f.item === item)!.current ?? '0';
  const less = (v: string) => (BigInt(v) * 85n) / 100n;
  const amountFen = less(figure('交易金额'));
  await reports.save(clerk, last, {
    overview: `${last}年，中心认真贯彻落实《中华人民共和国政府信息公开条例》和上级关于全面推进政务公开工作的部署，坚持“以公开为常态、不公开为例外”，依托本门户集中公开公共资源交易全流程信息，交易公告、开标记录、中标（成交）结果、合同和履约信息均在规定时限内发布，并通过开放数据接口同步提供。\n全年依法办理政府信息公开申请，答复均在法定期限内作出。`,
    problems: `一是部分交易主体对依申请公开的渠道和时限了解不够，网上申请使用率有待提高；二是合同履约信息的公开还不够及时。\n${year}年，中心将在门户首页增加依申请公开指引，并按月核对合同公告和履约信息的发布情况，督促招标人、采购人按时提供。`,
    other: `本年度未收取信息处理费。${last - 1}年部分数字为本平台启用前的统计，由工作人员按上年度报告录入。`,
    itemsTotal: String(less(figure('公开公共资源交易信息'))),
    completed: String(less(figure('完成交易项目'))),
    amountYuan: `${amountFen / 100n}.${String(amountFen % 100n).padStart(2, '0')}`,
    requestsReceived: '4',
  });
  await reports.submit(clerk, last);
  await reports.publish(reviewer, last);
  await reports.save(clerk, year, {
    overview: `${year}年，中心继续以本门户为政府信息公开的第一平台，新增依申请公开网上办理和年度报告自动生成功能。`,
    problems: '（起草中）',
    other: '',
  });
  return 2;
}
