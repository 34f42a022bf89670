import { formatChinaDateTime } from '../domain/china-time.js';
import type { ClockReading } from '../domain/disclosure-clock.js';
import {
  APPLICANT_TYPES,
  DELIVERY_CHANNELS,
  DELIVERY_FORMS,
  ID_DOCUMENT_TYPES,
  labelOf,
  LAWSUIT_ROUTES,
  outcomeLabel,
  RECEIPT_CHANNELS,
  REQUEST_STATUSES,
  REVIEW_KINDS,
  REVIEW_OUTCOMES,
} from '../domain/disclosure.js';
import type { FieldError } from '../http/app-error.js';
import { errorMap, field } from '../http/form-input.js';
import type { DisclosureRequest, DisclosureReview, DisclosureStep } from './disclosure.entities.js';

/** The Chinese of each step, as the applicant and staff read the history. */
export const STEP_LABELS: Record<string, string> = {
  received: '收到网上申请',
  registered: '登记收到的申请',
  'clarification-requested': '告知申请人补正',
  clarified: '收到补正后的申请（答复期限重新起算）',
  extended: '延长答复期限并告知申请人',
  paused: '书面征求第三方意见（暂停计时）',
  resumed: '收到第三方意见（恢复计时）',
  answered: '作出答复',
  withdrawn: '逾期未补正，视为放弃申请',
  'identity-deleted': '身份证明文件保存期满，已删除',
};

const options = (list: readonly { code: string; label: string }[], selected: unknown) =>
  list.map((x) => ({ ...x, selected: x.code === selected }));

/** The public form (and the staff registration form): the values as sent, and each problem next to its field. */
export function formModel(values: Record<string, unknown>, errors: FieldError[], csrf: string) {
  const v = (k: string) => field(values, k);
  const errorOf = errorMap(errors);
  return {
    title: '政府信息公开申请',
    csrf,
    errors,
    errorOf,
    values: Object.fromEntries(
      ['name', 'creditCode', 'idNumber', 'phone', 'email', 'address', 'description', 'purpose', 'receivedOn'].map(
        (k) => [k, v(k)],
      ),
    ),
    applicantTypes: options(APPLICANT_TYPES, v('applicantType') || 'natural-person'),
    idTypes: options(ID_DOCUMENT_TYPES, v('idType') || 'resident-id'),
    deliveryForms: options(DELIVERY_FORMS, v('deliveryForm') || 'electronic'),
    deliveryChannels: options(DELIVERY_CHANNELS, v('deliveryChannel') || 'email'),
    channels: options(
      RECEIPT_CHANNELS.filter((c) => c.code !== 'online'),
      v('channel') || 'post',
    ),
  };
}

export function clockModel(clock: ClockReading) {
  return {
    ...clock,
    stateLabel: {
      running: clock.overdue ? '已超过答复期限' : clock.dueSoon ? '即将到期' : '计时中',
      'awaiting-clarification': '等待申请人补正（答复期限自收到补正申请之日起算）',
      'clarification-lapsed': '补正期限已过',
      paused: '征求第三方意见中，暂停计时',
      closed: '已办结',
      'calendar-missing': `节假日日历缺少 ${clock.missingYear} 年的数据，答复期限暂无法计算`,
    }[clock.state],
  };
}

/** What the holder of the code sees: status, dates, the reply; never staff notes or the applicant's own data. */
export function statusModel(found: {
  request: DisclosureRequest;
  clock: ClockReading;
  steps: DisclosureStep[];
  files: { id: number; fileName: string; size: number }[];
}) {
  const r = found.request;
  return {
    trackingNo: r.trackingNo,
    status: labelOf(REQUEST_STATUSES, r.status),
    receivedOn: r.receivedOn,
    channel: labelOf(RECEIPT_CHANNELS, r.channel),
    clock: clockModel(found.clock),
    clarification: r.clarificationRequestedOn
      ? {
          on: r.clarificationRequestedOn,
          dueOn: r.clarificationDueOn,
          text: r.clarificationText,
          clarifiedOn: r.clarifiedOn,
        }
      : null,
    extension: r.extensionGrantedOn
      ? { on: r.extensionGrantedOn, days: r.extensionDays, notice: r.extensionNotice }
      : null,
    answered: r.status === 'answered' || r.status === 'withdrawn',
    outcome: outcomeLabel(r.outcome, r.outcomeReason),
    answeredOn: r.answeredOn,
    replyText: r.replyText,
    files: found.files,
    steps: found.steps.map((s) => ({ label: STEP_LABELS[s.kind] ?? s.kind, on: s.onDate })),
  };
}

export function reviewView(r: DisclosureReview, trackingNo: string | null) {
  return {
    id: r.id,
    kind: r.kind,
    kindLabel: labelOf(REVIEW_KINDS, r.kind),
    lawsuitRoute: r.lawsuitRoute,
    lawsuitRouteLabel: labelOf(LAWSUIT_ROUTES, r.lawsuitRoute),
    trackingNo,
    caseNumber: r.caseNumber,
    filedOn: r.filedOn,
    outcome: r.outcome,
    outcomeLabel: labelOf(REVIEW_OUTCOMES, r.outcome),
    decidedOn: r.decidedOn,
    note: r.note,
    updatedAt: formatChinaDateTime(r.updatedAt),
  };
}
