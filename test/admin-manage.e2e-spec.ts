import { adminSignIn, AdminBrowser, text } from './support/admin-pages.js';
import { createStaff } from './support/staff.js';
import { FixedClock, startTestApp, TestApp } from './support/test-app.js';

const userId = (html: string, username: string) =>
  new RegExp(`<td class="code">${username}</td>.*?href="/admin/users/(\\d+)"`).exec(html)![1];

describe('back office: users, API keys, timing rules, holiday calendar, audit log', () => {
  let t: TestApp;
  let admin: AdminBrowser;

  beforeAll(async () => {
    t = await startTestApp({ clock: new FixedClock(new Date('2026-11-25T02:00:00Z')) });
    const a = await createStaff(t, 'admin', 'chief');
    admin = await adminSignIn(t, a.username, a.password);
  });
  afterAll(() => t.close());

  it('creates a user (with Chinese field errors), changes the role, resets the password, disables the account', async () => {
    const bad = await admin.post('/admin/users', { username: '王', displayName: '', role: 'clerk', password: 'short' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('用户名须为 2 至 64 个字符');
    expect(bad.text).toContain('密码至少需要 10 个字符');
    expect(bad.text).toContain('value="王"');
    const ok = await admin.post('/admin/users', {
      username: 'Li.Na',
      displayName: '李娜',
      role: 'clerk',
      password: 'Spring-rain-2026',
    });
    expect(ok.status).toBe(303);
    const list = await admin.get('/admin/users');
    const id = userId(list.text, 'li.na');
    const user = await adminSignIn(t, 'li.na', 'Spring-rain-2026');
    expect((await user.get('/admin/users')).status).toBe(403);

    expect(
      (await admin.post(`/admin/users/${id}`, { displayName: '李娜', role: 'reviewer', active: 'true' })).status,
    ).toBe(303);
    expect((await user.get('/admin/review')).status).toBe(200);
    const weak = await admin.post(`/admin/users/${id}/password`, { password: 'li.na' });
    expect(weak.status).toBe(400);
    expect((await admin.post(`/admin/users/${id}/password`, { password: 'Autumn-wind-2026' })).status).toBe(303);
    expect((await user.get('/admin')).status).toBe(303); // the reset ended the user's sessions
    await adminSignIn(t, 'li.na', 'Autumn-wind-2026');
    expect(
      (await admin.post(`/admin/users/${id}`, { displayName: '李娜', role: 'reviewer', active: 'false' })).status,
    ).toBe(303);
    expect((await admin.get('/admin/users')).text).toContain('已停用');
    const self = userId((await admin.get('/admin/users')).text, 'chief');
    const last = await admin.post(`/admin/users/${self}`, { displayName: '主任', role: 'clerk', active: 'true' });
    expect(last.status).toBe(409);
    expect(last.text).toContain('至少需要保留一个启用的管理员账号');
  });

  it('shows a new API key once, which then works on /api/admin, and revokes it', async () => {
    const users = await admin.get('/admin/api-keys');
    const ownerId = /<option value="(\d+)"/.exec(users.text)![1];
    expect((await admin.post('/admin/api-keys', { userId: ownerId, name: '' })).status).toBe(400);
    const created = await admin.post('/admin/api-keys', { userId: ownerId, name: '电子交易系统' });
    expect(created.status).toBe(201);
    expect(created.text).toContain('此密钥只显示这一次');
    const key = /id="new-key">([^<]+)</.exec(created.text)![1];
    await t.http().get('/api/admin/users').set('Authorization', `Bearer ${key}`).expect(200);
    const list = await admin.get('/admin/api-keys');
    expect(list.text).not.toContain(key);
    expect(list.text).toContain(key.slice(0, 12));
    const keyId = /action="\/admin\/api-keys\/(\d+)\/revoke"/.exec(list.text)![1];
    expect((await admin.post(`/admin/api-keys/${keyId}/revoke`)).status).toBe(303);
    await t.http().get('/api/admin/users').set('Authorization', `Bearer ${key}`).expect(401);
  });

  it('edits a timing rule: amount, unit, enabled', async () => {
    const code = 'construction.tender.documents-to-deadline';
    const page = await admin.get('/admin/timing-rules');
    expect(page.text).toContain('招标文件发出之日至投标截止之日不少于20日');
    // The day count is in its input, ready to change (a view helper named like the field must not hide it).
    expect(page.text).toContain(`id="amount-${code}" name="amount" value="20"`);
    const bad = await admin.post(`/admin/timing-rules/${code}`, {
      amount: '-3',
      unit: 'calendar-days',
      enabled: 'true',
    });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('必须是整数');
    expect(
      (await admin.post(`/admin/timing-rules/${code}`, { amount: '25', unit: 'working-days', enabled: 'false' }))
        .status,
    ).toBe(303);
    const rules = (
      await t
        .http()
        .get('/api/admin/timing-rules')
        .set('Cookie', `ggzy_session=${admin.cookies.get('ggzy_session')}`)
        .expect(200)
    ).body.items;
    expect(rules.find((r: { code: string }) => r.code === code)).toMatchObject({
      amount: 25,
      unit: 'working-days',
      enabled: false,
    });
    expect(
      (await admin.post('/admin/timing-rules/no.such.rule', { amount: '1', unit: 'calendar-days', enabled: 'true' }))
        .status,
    ).toBe(404);
  });

  it("adds a year's official calendar line by line, marks a make-up working day, and removes a day", async () => {
    const bad = await admin.post('/admin/calendar', {
      year: '2027',
      source: '国办发明电〔2026〕1号',
      days: '2027-01-01,放假,元旦\n2027-02-03,上班,春节调休上班\n2026-12-31,放假,跨年',
    });
    expect(bad.status).toBe(400);
    expect(text(bad.text)).toContain('第 2 行：调休上班日 2027-02-03 不是周末');
    expect(text(bad.text)).toContain('第 3 行：日期 2026-12-31 不在 2027 年内');
    const ok = await admin.post('/admin/calendar', {
      year: '2027',
      source: '国办发明电〔2026〕1号',
      days: '2027-01-01,放假,元旦\n\n2027-02-06，上班，春节调休上班',
    });
    expect(ok.status).toBe(303);
    expect(ok.headers.location).toBe('/admin/calendar/2027?done=calendar-updated');
    const year = await admin.get('/admin/calendar/2027');
    expect(year.text).toContain('春节调休上班');
    // A `done` the page's messages do not hold (an inherited name included) shows no message, not "[object …]".
    for (const done of ['constructor', 'toString', '__proto__', 'nonsense']) {
      const page = await admin.get(`/admin/calendar/2027?done=${done}`);
      expect(page.status).toBe(200);
      expect(page.text).not.toMatch(/\[object|function \w+\(|native code/);
    }
    // Each day shows its date, and its delete button posts to that day.
    expect(year.text).toMatch(/<td>2027-02-06<\/td><td>调休上班<\/td><td>春节调休上班<\/td>/);
    expect(year.text).toContain('action="/admin/calendar/2027/days/2027-02-06/delete"');
    expect(
      (await admin.post('/admin/calendar/2027/days', { date: '2027-10-09', kind: 'workday', name: '国庆节调休上班' }))
        .status,
    ).toBe(303);
    const notWeekend = await admin.post('/admin/calendar/2027/days', {
      date: '2027-10-11',
      kind: 'workday',
      name: '错误',
    });
    expect(notWeekend.status).toBe(400);
    expect(notWeekend.text).toContain('不是周末');
    expect((await admin.post('/admin/calendar/2027/days/2027-01-01/delete')).status).toBe(303);
    const years = (
      await t
        .http()
        .get('/api/admin/calendar')
        .set('Cookie', `ggzy_session=${admin.cookies.get('ggzy_session')}`)
        .expect(200)
    ).body.items;
    expect(years.find((y: { year: number }) => y.year === 2027).days.map((d: { date: string }) => d.date)).toEqual([
      '2027-02-06',
      '2027-10-09',
    ]);
    expect((await admin.get('/admin/calendar/1999')).status).toBe(404);
    expect((await admin.get('/admin/calendar/abc')).status).toBe(400);
  });

  it('lists every loaded year under its own number, each linking to its own page', async () => {
    await admin.post('/admin/calendar', {
      year: '2028',
      source: '国办发明电〔2027〕1号',
      days: '2028-01-01,放假,元旦',
    });
    const list = await admin.get('/admin/calendar');
    const rows = [
      ...list.text.matchAll(/<a href="\/admin\/calendar\/(\d+)">(\d+) 年<\/a><\/td><td>([^<]*)<\/td>/g),
    ].map((m) => ({ href: m[1], shown: m[2], source: m[3] }));
    expect(rows).toEqual(
      expect.arrayContaining([
        { href: '2028', shown: '2028', source: '国办发明电〔2027〕1号' },
        { href: '2026', shown: '2026', source: expect.any(String) },
      ]),
    );
    for (const r of rows) expect(r.shown).toBe(r.href);
    expect(new Set(rows.map((r) => r.href)).size).toBe(rows.length);
    for (const r of rows)
      expect((await admin.get(`/admin/calendar/${r.href}`)).text).toContain(`<h1>${r.href} 年节假日安排</h1>`);
    // The year offered for the next load is the one after the current year in China (the clock says 2026-11-25).
    expect(list.text).toContain('name="year" value="2027"');
  });

  it('searches the audit log by action, record and date', async () => {
    const all = await admin.get('/admin/audit?action=calendar.replace-year&entityId=2027');
    expect(all.status).toBe(200);
    expect((all.text.match(/<code>calendar.replace-year<\/code>/g) ?? []).length).toBe(3);
    expect(text(all.text)).toContain('国庆节调休上班');
    expect((await admin.get('/admin/audit?action=timing-rule.update&from=2026-11-25&to=2026-11-25')).text).toContain(
      'construction.tender.documents-to-deadline',
    );
    const none = await admin.get('/admin/audit?action=timing-rule.update&from=2026-11-26');
    expect(none.text).toContain('没有符合条件的记录');
    expect((await admin.get('/admin/audit?from=2026-13-01')).status).toBe(400);
  });
});
