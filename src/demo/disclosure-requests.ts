import type { Actor } from '../auth/actor.js';
import { chinaDate } from '../domain/china-time.js';
import type { WorkingDayCalendar } from '../domain/working-days.js';
import type { DisclosureService } from '../disclosure/disclosure.service.js';

/** A resident ID number with its GB 11643 check character (fictional people only). */
function residentId(first17: string): string {
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(first17[i]), 0);
  return first17 + '10X98765432'[sum % 11];
}

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 7)]);

const person = (name: string, id17: string) => ({
  applicantType: 'natural-person',
  name,
  idType: 'resident-id',
  idNumber: residentId(id17),
  phone: '0411-8000' + id17.slice(-4),
});
const organisation = (applicantType: string, name: string, creditCode: string) => ({
  applicantType,
  name,
  creditCode,
  email: 'gongkai@example.cn',
});
const wanted = (description: string) => ({
  description,
  deliveryForm: 'electronic',
  deliveryChannel: 'email',
  email: 'shenqing@example.cn',
});

/**
 * Requests for disclosure across applicant types, channels and outcomes, dated back from today in working
 * days: some open (one overdue, one due soon, one extended, one clarified, one paused), one deemed withdrawn,
 * several answered; and a reconsideration and a lawsuit. Everything goes through the service staff use.
 */
export async function seedDisclosureRequests(
  disclosure: DisclosureService,
  calendar: WorkingDayCalendar,
  now: Date,
  clerk: Actor,
): Promise<number> {
  const today = chinaDate(now);
  const wd = (n: number) => calendar.addWorkingDays(today, -n);
  const register = async (channel: string, receivedOn: string, fields: Record<string, string>, withId = false) =>
    (
      await disclosure.register(
        clerk,
        {
          channel,
          receivedOn,
          deliveryForm: 'paper',
          deliveryChannel: 'post',
          address: '大连市中山区人民路 1 号',
          ...fields,
        },
        withId ? { originalname: '身份证.png', buffer: PNG } : undefined,
      )
    ).trackingNo;

  // Open, online today.
  await disclosure.submitOnline(
    { ...person('王小明', '21020219800101123'), ...wanted('2026 年本中心受理的政府采购项目中止公告清单') },
    { originalname: 'id.png', buffer: PNG },
    null,
  );
  // Overdue.
  await register('post', wd(25), {
    ...organisation('commercial-enterprise', '大连示例建设工程有限公司', '91350100M000100Y43'),
    ...wanted('某道路改造工程项目评标委员会组建情况'),
  });
  // Due soon.
  await register('in-person', wd(17), {
    ...organisation('research-institution', '大连示例城市规划研究院', '91110000802100433B'),
    description: '近三年土地使用权出让成交总价的年度汇总',
  });
  // Extended once.
  const extended = await register('post', wd(22), {
    ...organisation('legal-service-body', '辽宁示例律师事务所', '91350100M000100Y43'),
    description: '某国有产权转让项目的挂牌公告及其审批文件',
  });
  await disclosure.extend(clerk, extended, {
    on: wd(4),
    workingDays: 15,
    approver: '政务公开办公室 张主任',
    notice: '因需调取档案，答复期限延长 15 个工作日。',
    notifiedOn: wd(4),
  });
  // Clarified: the period runs from the clarified request.
  const clarified = await register('fax', wd(12), {
    ...organisation('social-organisation', '大连示例公益基金会', '91110000802100433B'),
    description: '有关项目的材料',
  });
  await disclosure.requestClarification(clerk, clarified, {
    on: wd(10),
    dueOn: wd(5),
    text: '请写明项目名称或编号，以及需要的具体文件。',
  });
  await disclosure.recordClarified(clerk, clarified, { on: wd(6) });
  // Consulting a third party.
  const paused = await register('post', wd(10), {
    ...organisation('other-organisation', '大连示例物业管理中心', '91350100M000100Y43'),
    description: '某政府采购项目中标供应商的投标报价明细',
  });
  await disclosure.pause(clerk, paused, { on: wd(5), note: '中标供应商（商业秘密）' });
  // Deemed withdrawn: no clarification within the period given.
  const lapsed = await register(
    'in-person',
    wd(30),
    { ...person('李华', '21020319750505234'), description: '那个项目的材料' },
    true,
  );
  await disclosure.requestClarification(clerk, lapsed, {
    on: wd(28),
    dueOn: wd(20),
    text: '请写明所需信息的名称或文号。',
  });
  await disclosure.closeLapsedClarifications(lapsed);

  // Answered.
  const answered: [string, string | null, Record<string, string>, number][] = [
    ['disclosed', null, { ...person('赵敏', '21020419900909345'), description: '本中心 2025 年度工作报告' }, 60],
    [
      'partly-disclosed',
      null,
      {
        ...organisation('commercial-enterprise', '大连示例港口工程有限公司', '91110000802100433B'),
        description: '某港口工程项目的合同文本',
      },
      55,
    ],
    [
      'withheld',
      'third-party',
      {
        ...organisation('commercial-enterprise', '大连示例医疗器械有限公司', '91350100M000100Y43'),
        description: '竞争对手的投标文件',
      },
      50,
    ],
    [
      'unavailable',
      'not-held',
      { ...person('孙伟', '21021119851111456'), description: '某区自来水厂的水质检测报告' },
      45,
    ],
    [
      'not-handled',
      'repeated',
      { ...person('周强', '21021219700303567'), description: '本中心 2025 年度工作报告' },
      40,
    ],
  ];
  const outcomes: Record<string, string> = {};
  for (const [outcome, reason, fields, ago] of answered) {
    const t = await register(ago % 2 ? 'post' : 'in-person', wd(ago), fields, outcome === 'disclosed');
    await disclosure.answer(clerk, t, {
      on: wd(ago - 12),
      outcome,
      reason,
      replyText: '您的申请已收悉，经审查，答复如下：……（演示数据）',
    });
    outcomes[outcome] = t;
  }

  await disclosure.createReview(clerk, {
    kind: 'reconsideration',
    caseNumber: '大政复〔演示〕1号',
    trackingNo: outcomes.withheld,
    filedOn: wd(30),
    outcome: 'upheld',
    decidedOn: wd(5),
  });
  await disclosure.createReview(clerk, {
    kind: 'lawsuit',
    lawsuitRoute: 'after-reconsideration',
    caseNumber: '（演示）辽0202行初1号',
    trackingNo: outcomes.withheld,
    filedOn: wd(3),
    outcome: 'pending',
  });
  return 12;
}
