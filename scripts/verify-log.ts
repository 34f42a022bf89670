/**
 * Verifies a portal's publication log from its public data alone (see /transparency):
 *
 *   npm run verify-log -- <base-url> [--checkpoint saved.json] [--save-checkpoint out.json] [--per-notice]
 *
 * Notices are read from the change feed (1000 per request); --per-notice reads each from /api/v1/notices/{id}.
 * Exit status: 0 verified, 1 a mismatch was found (the first one is named), 2 bad arguments or the portal could
 * not be read.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseSavedCheckpoint, verifyLog, VerifyError, type Mismatch } from '../src/transparency/verify.js';

const USAGE =
  '用法：npm run verify-log -- <门户地址> [--checkpoint 已保存的检查点.json] [--save-checkpoint 输出文件.json] [--per-notice]';

async function main(argv: string[]): Promise<number> {
  const args: { baseUrl?: string; checkpoint?: string; save?: string; perNotice?: boolean } = {};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--checkpoint') args.checkpoint = argv[++i];
    else if (argv[i] === '--save-checkpoint') args.save = argv[++i];
    else if (argv[i] === '--per-notice') args.perNotice = true;
    else if (!argv[i].startsWith('--') && !args.baseUrl) args.baseUrl = argv[i];
    else return fail(`无法识别的参数：${argv[i]}\n${USAGE}`);
  }
  if (!args.baseUrl || !/^https?:\/\/\S+$/.test(args.baseUrl)) return fail(USAGE);
  if ((argv.includes('--checkpoint') && !args.checkpoint) || (argv.includes('--save-checkpoint') && !args.save))
    return fail(USAGE);
  const checkpoint = args.checkpoint ? parseSavedCheckpoint(readFileSync(args.checkpoint, 'utf8')) : undefined;

  const report = await verifyLog({
    baseUrl: args.baseUrl,
    checkpoint,
    perNotice: args.perNotice,
    progress: (line) => console.error(line),
  });
  console.log(
    `日志条目 ${report.entries} 条，签名检查点 ${report.checkpoints} 个${checkpoint ? `，已核对保存的检查点（第 ${checkpoint.seq} 条）` : ''}。`,
  );
  if (!report.ok) {
    const first = report.first!;
    console.log(
      `核验未通过：共 ${report.mismatches.length} 处不一致。第一处：${first.seq === null ? '' : `第 ${first.seq} 条`}${subject(first)}：${first.problem}`,
    );
    for (const m of report.mismatches.slice(1, 20))
      console.log(`  - ${m.seq === null ? '' : `第 ${m.seq} 条`}${subject(m)}：${m.problem}`);
    return 1;
  }
  console.log(`核验通过：日志头第 ${report.head.seq} 条，哈希 ${report.head.hash}`);
  if (args.save) {
    const saved = report.latestCheckpoint ?? { ...report.head, note: '未签名的日志头（门户尚无签名检查点）' };
    writeFileSync(args.save, JSON.stringify(saved, null, 2) + '\n');
    console.log(
      `已将${report.latestCheckpoint ? '最新签名检查点' : '日志头'}（第 ${saved.seq} 条）保存到 ${args.save}`,
    );
  }
  return 0;
}

/** What the entry records: a notice, or a year's report. */
function subject(m: Mismatch): string {
  if (m.noticeId) return `（公告 ${m.noticeId}）`;
  return m.reportYear === undefined ? '' : `（${m.reportYear}年度报告）`;
}

function fail(message: string): number {
  console.error(message);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof VerifyError ? e.message : `无法完成核验：${(e as Error).message ?? e}`);
    process.exit(2);
  },
);
