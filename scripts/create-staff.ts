/**
 * Creates a staff account, or resets an existing one (role, display name, password; re-enabled), for an operator
 * on a fresh deployment:
 *
 *   STAFF_PASSWORD='…' node dist/scripts/create-staff.js <username> <clerk|reviewer|admin> [display name]
 *
 * It opens only the database named by DATABASE_URL (migrations run), not the HTTP application. The password comes
 * from the environment so it stays out of the shell history and the process list. The change is audited as 'system'.
 */
import 'reflect-metadata';
import { AuditService } from '../src/audit/audit.service.js';
import { SYSTEM_ACTOR } from '../src/auth/actor.js';
import { passwordProblem } from '../src/auth/passwords.js';
import { STAFF_ROLES, type StaffRole } from '../src/auth/staff-user.entity.js';
import { StaffUsersService } from '../src/auth/staff-users.service.js';
import { Clock } from '../src/common/clock.js';
import { ConfigError, loadConfig } from '../src/config/config.js';
import { ENTITIES } from '../src/app.module.js';
import { openDataSource } from '../src/database/data-source.js';
import { Database } from '../src/database/database.js';
import { AppError } from '../src/http/app-error.js';

const USAGE = `用法：STAFF_PASSWORD=<密码> node dist/scripts/create-staff.js <用户名> <${Object.keys(STAFF_ROLES).join('|')}> [姓名]`;

async function main(argv: string[]): Promise<number> {
  const [username, role, ...nameParts] = argv;
  if (!username || !role) return fail(USAGE);
  if (!Object.hasOwn(STAFF_ROLES, role))
    return fail(`角色必须是以下之一：${Object.keys(STAFF_ROLES).join('、')}\n${USAGE}`);
  const password = process.env.STAFF_PASSWORD ?? '';
  if (!password) return fail(`缺少环境变量 STAFF_PASSWORD\n${USAGE}`);
  const weak = passwordProblem(password, username);
  if (weak) return fail(`STAFF_PASSWORD 不符合要求：${weak}`);

  const config = loadConfig();
  const dataSource = await openDataSource(config.database, ENTITIES);
  try {
    const db = new Database(dataSource);
    const clock = new Clock();
    const audit = new AuditService(clock, db);
    const users = new StaffUsersService(db, clock, audit);
    const existing = await users.findUserByUsername(username);
    const displayName = nameParts.join(' ').trim() || existing?.displayName || username;
    const user = existing
      ? await users.updateUser(SYSTEM_ACTOR, existing.id, {
          role: role as StaffRole,
          displayName,
          password,
          active: true,
        })
      : await users.createUser(SYSTEM_ACTOR, { username, displayName, role: role as StaffRole, password });
    console.log(
      `${existing ? '已重置' : '已创建'}账号 ${user.username}（${user.displayName}，${STAFF_ROLES[user.role]}），编号 ${user.id}`,
    );
    return 0;
  } finally {
    await dataSource.destroy();
  }
}

function fail(message: string): number {
  console.error(message);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    if (e instanceof ConfigError) console.error(e.message);
    else if (e instanceof AppError)
      console.error([e.message, ...e.fields.map((f) => `  ${f.field}：${f.message}`)].join('\n'));
    else console.error(e);
    process.exit(1);
  },
);
