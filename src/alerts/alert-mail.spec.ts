import { backoffMs, classify } from './alert-mailer.js';
import { confirmationMail, newMessageId, noticesMail, redactAddresses } from './alert-mail.js';

describe('alert mail', () => {
  const item = {
    title: '红旗西路道路改造工程施工招标公告 <b>',
    type: 'tender',
    regionCode: '210211',
    deadline: new Date('2026-12-16T01:30:00Z'),
    url: 'https://ggzy.example.cn/notices/N1',
    kind: 'publication' as const,
    follows: null,
  };

  it('lists each notice with type, region, deadline in China time and link, in text and escaped HTML', () => {
    const mail = noticesMail({
      site: '大连市公共资源交易中心',
      filterTitle: '工程建设招投标',
      filterWords: ['交易类别：工程建设招投标'],
      items: [item, { ...item, title: '澄清公告', kind: 'correction', follows: '原公告', deadline: null }],
      manageUrl: 'https://ggzy.example.cn/alerts/T',
      unsubscribeUrl: 'https://ggzy.example.cn/alerts/T/unsubscribe',
      digest: false,
    });
    expect(mail.subject).toBe('【订阅提醒】工程建设招投标：2 条新公告');
    expect(mail.text).toContain('类型：招标公告\u3000地区：甘井子区');
    expect(mail.text).toContain('投标截止：2026-12-16 09:30（北京时间）');
    expect(mail.text).toContain('【更正】澄清公告\n  更正了您此前收到的：原公告');
    expect(mail.html).toContain('施工招标公告 &lt;b&gt;');
    expect(mail.html).not.toContain('<b>');
  });

  it('asks for confirmation and says what happens if it is ignored', () => {
    const mail = confirmationMail({
      site: '中心',
      filterWords: ['全部公告'],
      confirmUrl: 'https://x/alerts/confirm/T',
      hours: 48,
    });
    expect(mail.text).toContain('48 小时内');
    expect(mail.text).toContain('不确认，就不会再收到任何邮件');
  });

  it('gives each mail its own Message-ID on the portal host', () => {
    const a = newMessageId('https://ggzy.example.cn');
    expect(a).toMatch(/^<alert\.[0-9a-f-]{36}@ggzy\.example\.cn>$/);
    expect(newMessageId('https://ggzy.example.cn')).not.toBe(a);
  });

  it('keeps no address in an error it records', () => {
    expect(redactAddresses('550 5.1.1 <zhang.san@example.cn>: Recipient address rejected')).toBe(
      '550 5.1.1 <[address]>: Recipient address rejected',
    );
  });

  it.each([
    [{ responseCode: 550, code: 'EENVELOPE', response: '550 No such user' }, true],
    [{ responseCode: 554, code: 'EMESSAGE' }, true],
    [{ responseCode: 451, code: 'EENVELOPE' }, false],
    [{ responseCode: 421, code: 'ECONNECTION' }, false],
    [{ code: 'ECONNECTION', message: 'connect ECONNREFUSED 127.0.0.1:9' }, false],
    [{ code: 'ETIMEDOUT' }, false],
  ])('classifies %j as permanent: %s', (error, permanent) => {
    expect(classify(error).permanent).toBe(permanent);
  });

  it('backs off exponentially with jitter up to the maximum', () => {
    expect(backoffMs(1, 60_000, 3_600_000, () => 0)).toBe(30_000);
    expect(backoffMs(3, 60_000, 3_600_000, () => 1)).toBe(240_000);
    expect(backoffMs(20, 60_000, 3_600_000, () => 1)).toBe(3_600_000);
  });
});
