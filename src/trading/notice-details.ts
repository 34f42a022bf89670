import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import type { FieldError } from '../http/app-error.js';
import { chinaDate, chinaDateTimeIso, parseDateTimeInput } from '../domain/china-time.js';
import {
  EVALUATION_METHODS,
  PROCUREMENT_EVALUATION_METHODS,
  PROCUREMENT_METHODS,
  TRANSFER_MODES,
} from '../domain/catalog.js';
import { DomainError } from '../domain/errors.js';
import { AMOUNT_UNITS, formatYuan, parseAmount, parsePrice, PRICE_FORMS, type AmountUnit } from '../domain/money.js';
import { IsChinaDate, IsCode, IsCreditCode, IsDateTimeInput, IsDecimalString } from './validators.js';

/**
 * The fields of each notice type (DOMAIN.md), as validated input classes, plus the normalisation that turns
 * valid input into the stored `details` (amounts as exact decimal strings with their unit, times as ISO 8601
 * with +08:00) and the date facts the timing rules read.
 */

const TEXT = 20000;

// ---- shared shapes ----------------------------------------------------------------------------------
export class AmountInput {
  @IsDecimalString() value: string;
  @IsIn(AMOUNT_UNITS as unknown as string[]) unit: '元' | '万元';
}

export class PriceInput {
  @IsIn(Object.keys(PRICE_FORMS)) form: string;
  @IsDecimalString() value: string;
  @IsIn([...AMOUNT_UNITS, '%']) unit: string;
}

export class PartyRef {
  @IsString() @MinLength(2) @MaxLength(200) name: string;
  @IsCreditCode() creditCode: string;
}

export class ContactParty extends PartyRef {
  @IsOptional() @IsString() @MaxLength(300) address?: string;
  @IsOptional() @IsString() @MaxLength(50) contactName?: string;
  @IsOptional() @IsString() @MaxLength(50) contactPhone?: string;
}

// ---- announcements ----------------------------------------------------------------------------------
class AnnouncementBase {
  @IsString() @MinLength(1) @MaxLength(TEXT) content: string;
  @IsString() @MinLength(1) @MaxLength(TEXT) qualifications: string;
  @IsBoolean() consortiumAccepted: boolean;
  @IsDateTimeInput() documentsFrom: string;
  @IsDateTimeInput() documentsTo: string;
  @IsString() @MaxLength(1000) documentsMethod: string;
  @IsString() @MaxLength(1000) submissionMethod: string;
  @IsOptional() @IsString() @MaxLength(300) platformUrl?: string;
  @IsOptional() @ValidateNested() @Type(() => ContactParty) agency?: ContactParty;
}

export class TenderDetails extends AnnouncementBase {
  @IsOptional() @IsString() @MaxLength(TEXT) scope?: string;
  @IsOptional() @IsString() @MaxLength(1000) scale?: string;
  @IsOptional() @IsString() @MaxLength(200) fundingSource?: string;
  @IsDateTimeInput() bidDeadline: string;
  @IsDateTimeInput() openingTime: string;
  @IsOptional() @IsString() @MaxLength(300) openingPlace?: string;
  @IsOptional() @ValidateNested() @Type(() => AmountInput) controlPrice?: AmountInput;
  /** 评标办法: optional, as notices before it was recorded lack it; indicators that need it skip those. */
  @IsOptional() @IsIn(EVALUATION_METHODS.map((m) => m.slug)) evaluationMethod?: string;
  @ValidateNested() @Type(() => ContactParty) tenderer: ContactParty;
}

export class PrequalificationDetails extends AnnouncementBase {
  @IsOptional() @IsString() @MaxLength(TEXT) scope?: string;
  @IsDateTimeInput() applicationDeadline: string;
  @ValidateNested() @Type(() => ContactParty) tenderer: ContactParty;
}

export class ProcurementDetails extends AnnouncementBase {
  @IsIn(PROCUREMENT_METHODS.map((m) => m.slug)) method: string;
  @ValidateNested() @Type(() => AmountInput) budget: AmountInput;
  @IsOptional() @ValidateNested() @Type(() => AmountInput) maxPrice?: AmountInput;
  /** 评审方法 (综合评分法 or 最低评标价法); none for single-source procurement, which is negotiated. */
  @IsOptional() @IsIn(PROCUREMENT_EVALUATION_METHODS.map((m) => m.slug)) evaluationMethod?: string;
  @IsDateTimeInput() bidDeadline: string;
  @IsOptional() @IsDateTimeInput() openingTime?: string;
  @ValidateNested() @Type(() => ContactParty) purchaser: ContactParty;
}

export class TransferDetails {
  @IsIn(TRANSFER_MODES.map((m) => m.slug)) mode: string;
  @IsString() @MinLength(1) @MaxLength(TEXT) subject: string;
  @IsString() @MinLength(1) @MaxLength(TEXT) qualifications: string;
  @ValidateNested() @Type(() => AmountInput) reservePrice: AmountInput;
  @IsOptional() @ValidateNested() @Type(() => AmountInput) deposit?: AmountInput;
  @IsOptional() @ValidateNested() @Type(() => AmountInput) increment?: AmountInput;
  @IsDateTimeInput() listingStart: string;
  @IsDateTimeInput() listingEnd: string;
  @IsOptional() @IsDateTimeInput() auctionStart?: string;
  @ValidateNested() @Type(() => ContactParty) transferor: ContactParty;
  @IsOptional() @ValidateNested() @Type(() => ContactParty) agency?: ContactParty;
}

// ---- corrections, process, results ------------------------------------------------------------------
export class CorrectionChanges {
  @IsOptional() @IsDateTimeInput() bidDeadline?: string;
  @IsOptional() @IsDateTimeInput() openingTime?: string;
  @IsOptional() @IsDateTimeInput() documentsTo?: string;
  @IsOptional() @IsDateTimeInput() listingEnd?: string;
  @IsOptional() @ValidateNested() @Type(() => AmountInput) budget?: AmountInput;
  @IsOptional() @ValidateNested() @Type(() => AmountInput) controlPrice?: AmountInput;
  @IsOptional() @ValidateNested() @Type(() => AmountInput) reservePrice?: AmountInput;
}

export class CorrectionDetails {
  @IsString() @MinLength(1) @MaxLength(TEXT) reason: string;
  /** Whether the change can affect how bids are prepared (moves the 15-day rule into play). */
  @IsBoolean() affectsBids: boolean;
  @ValidateNested() @Type(() => CorrectionChanges) changes: CorrectionChanges;
}

export class BidInput {
  @IsString() @MinLength(2) @MaxLength(200) bidder: string;
  @IsCreditCode() creditCode: string;
  @ValidateNested() @Type(() => PriceInput) price: PriceInput;
  @IsOptional() @IsString() @MaxLength(100) duration?: string;
  @IsOptional() @IsString() @MaxLength(100) quality?: string;
  @IsOptional() @IsString() @MaxLength(50) projectManager?: string;
  @IsOptional() @IsString() @MaxLength(500) remark?: string;
}

export class BidOpeningDetails {
  @IsDateTimeInput() openingTime: string;
  @IsOptional() @IsString() @MaxLength(300) openingPlace?: string;
  @IsOptional() @IsCode() lotCode?: string;
  @IsOptional() @ValidateNested() @Type(() => AmountInput) controlPrice?: AmountInput;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => BidInput) bids: BidInput[];
}

export class AuctionRound {
  @IsInt() @Min(1) @Max(10000) round: number;
  @IsString() @MinLength(1) @MaxLength(200) bidder: string;
  @ValidateNested() @Type(() => AmountInput) price: AmountInput;
  @IsDateTimeInput() time: string;
}

export class AuctionDetails {
  @IsDateTimeInput() startTime: string;
  @IsDateTimeInput() endTime: string;
  @ValidateNested() @Type(() => AmountInput) reservePrice: AmountInput;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5000)
  @ValidateNested({ each: true })
  @Type(() => AuctionRound)
  rounds: AuctionRound[];
  @ValidateNested() @Type(() => AmountInput) finalPrice: AmountInput;
  @ValidateNested() @Type(() => PartyRef) winner: PartyRef;
}

export class Candidate {
  @IsInt() @Min(1) @Max(100) rank: number;
  @IsString() @MinLength(2) @MaxLength(200) name: string;
  @IsCreditCode() creditCode: string;
  @ValidateNested() @Type(() => PriceInput) price: PriceInput;
  @IsOptional() @IsString() @MaxLength(100) quality?: string;
  @IsOptional() @IsString() @MaxLength(100) duration?: string;
  @IsString() @MinLength(1) @MaxLength(50) projectManager: string;
  @IsString() @MinLength(1) @MaxLength(100) certificateName: string;
  @IsString() @MinLength(1) @MaxLength(100) certificateNo: string;
  @IsString() @MinLength(1) @MaxLength(2000) qualification: string;
}

/**
 * A bid the evaluation committee rejected (否决投标), with its reason, as published with the candidates or the
 * result. `lotCode` names the lot where the notice covers several; on a candidate publicity it defaults to the
 * publicity's own lot.
 */
export class RejectedBid {
  @IsString() @MinLength(2) @MaxLength(200) bidder: string;
  @IsCreditCode() creditCode: string;
  @IsString() @MinLength(2) @MaxLength(500) reason: string;
  @IsOptional() @IsCode() lotCode?: string;
}

export class CandidatesDetails {
  @IsChinaDate() evaluationReportDate: string;
  @IsDateTimeInput() publicityStart: string;
  @IsDateTimeInput() publicityEnd: string;
  @IsString() @MinLength(1) @MaxLength(2000) objectionChannel: string;
  @IsString() @MinLength(1) @MaxLength(50) publisher: string;
  @IsString() @MinLength(1) @MaxLength(50) checker: string;
  @IsOptional() @IsCode() lotCode?: string;
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @ValidateNested({ each: true })
  @Type(() => Candidate)
  candidates: Candidate[];
  /**
   * 否决投标情况: absent where it was not recorded (older notices, or a platform that does not send it), an empty
   * list where the committee rejected no bid. Indicators that need it tell the two apart.
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => RejectedBid)
  rejectedBids?: RejectedBid[];
}

export class Winner extends PartyRef {
  @ValidateNested() @Type(() => PriceInput) price: PriceInput;
  @IsOptional() @IsCode() lotCode?: string;
}

export class ResultDetails {
  @IsChinaDate() decisionDate: string;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(100) @ValidateNested({ each: true }) @Type(() => Winner) winners: Winner[];
  /** 否决投标情况, as on the candidate publicity (absent: not recorded; empty: none rejected). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => RejectedBid)
  rejectedBids?: RejectedBid[];
  @IsOptional() @IsString() @MaxLength(TEXT) remark?: string;
}

export class DealDetails {
  @IsChinaDate() dealDate: string;
  @ValidateNested() @Type(() => AmountInput) dealPrice: AmountInput;
  @ValidateNested() @Type(() => PartyRef) buyer: PartyRef;
  @IsOptional() @IsDateTimeInput() publicityStart?: string;
  @IsOptional() @IsDateTimeInput() publicityEnd?: string;
}

export class ContractDetails {
  @IsChinaDate() signedDate: string;
  @IsOptional() @IsString() @MaxLength(100) contractNo?: string;
  @ValidateNested() @Type(() => PartyRef) supplier: PartyRef;
  @ValidateNested() @Type(() => AmountInput) amount: AmountInput;
  @IsOptional() @IsString() @MaxLength(100) duration?: string;
  @IsOptional() @IsString() @MaxLength(TEXT) content?: string;
}

export class PerformanceDetails {
  @IsIn(['in-progress', 'completed', 'accepted']) status: string;
  @IsOptional() @IsChinaDate() acceptanceDate?: string;
  @IsString() @MinLength(1) @MaxLength(TEXT) summary: string;
}

export class ReasonDetails {
  @IsString() @MinLength(2) @MaxLength(TEXT) reason: string;
}

export class AbnormalDetails extends ReasonDetails {
  @IsOptional() @IsString() @MaxLength(TEXT) measures?: string;
}

export const DETAILS_CLASS: Record<string, new () => object> = {
  tender: TenderDetails,
  prequalification: PrequalificationDetails,
  procurement: ProcurementDetails,
  transfer: TransferDetails,
  correction: CorrectionDetails,
  'bid-opening': BidOpeningDetails,
  auction: AuctionDetails,
  candidates: CandidatesDetails,
  result: ResultDetails,
  deal: DealDetails,
  contract: ContractDetails,
  performance: PerformanceDetails,
  termination: ReasonDetails,
  abnormal: AbnormalDetails,
  withdrawal: ReasonDetails,
};

// ---- normalisation ----------------------------------------------------------------------------------
const TIME_FIELDS = new Set([
  'documentsFrom',
  'documentsTo',
  'bidDeadline',
  'openingTime',
  'applicationDeadline',
  'listingStart',
  'listingEnd',
  'auctionStart',
  'startTime',
  'endTime',
  'time',
  'publicityStart',
  'publicityEnd',
]);
const AMOUNT_FIELDS = new Set([
  'budget',
  'maxPrice',
  'controlPrice',
  'reservePrice',
  'deposit',
  'increment',
  'finalPrice',
  'dealPrice',
  'amount',
]);

export interface StoredAmount {
  value: string;
  unit: AmountUnit;
  /** The same amount in yuan, exact, 2 decimals. */
  yuan: string;
}

export interface StoredPrice {
  form: string;
  value: string;
  unit: string;
  yuan?: string;
}

/**
 * Turns validated input into stored details: times as ISO 8601 with +08:00, amounts with their exact yuan
 * value, prices normalised. Errors (amounts out of range) are reported per field.
 */
export function normaliseDetails(input: object, errors: FieldError[], path = 'details'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const field = `${path}.${key}`;
    if (TIME_FIELDS.has(key) && typeof value === 'string') out[key] = chinaDateTimeIso(parseDateTimeInput(value));
    else if (AMOUNT_FIELDS.has(key) && isObject(value))
      out[key] = normaliseAmount(value as unknown as AmountInput, field, errors);
    else if (key === 'price' && isObject(value) && 'form' in value)
      out[key] = normalisePrice(value as unknown as PriceInput, field, errors);
    else if (key === 'price' && isObject(value))
      out[key] = normaliseAmount(value as unknown as AmountInput, field, errors);
    else if (Array.isArray(value))
      out[key] = value.map((v, i) => (isObject(v) ? normaliseDetails(v, errors, `${field}[${i}]`) : v));
    else if (isObject(value)) out[key] = normaliseDetails(value, errors, field);
    else out[key] = value;
  }
  return out;
}

function normaliseAmount(a: AmountInput, field: string, errors: FieldError[]): StoredAmount | undefined {
  try {
    const fen = parseAmount(a.value, a.unit);
    return { value: a.value.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''), unit: a.unit, yuan: formatYuan(fen) };
  } catch (e) {
    errors.push({ field, message: e instanceof DomainError ? e.message : '金额不正确' });
    return undefined;
  }
}

function normalisePrice(p: PriceInput, field: string, errors: FieldError[]): StoredPrice | undefined {
  try {
    const price = parsePrice(p);
    return {
      form: price.form,
      value: price.value,
      unit: price.unit,
      ...(price.fen !== undefined ? { yuan: formatYuan(price.fen) } : {}),
    };
  } catch (e) {
    errors.push({ field, message: e instanceof DomainError ? e.message : '报价不正确' });
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The fen of a stored amount or price (undefined for rates). */
export function fenOf(v: unknown): bigint | undefined {
  if (!isObject(v) || typeof v.yuan !== 'string') return undefined;
  return parseAmount(v.yuan, '元');
}

// ---- cross-field order ------------------------------------------------------------------------------
/** Pairs of stored time/date fields that must be in order (earlier, later), per type. */
const ORDER: Record<string, [string, string][]> = {
  tender: [
    ['documentsFrom', 'documentsTo'],
    ['documentsFrom', 'bidDeadline'],
    ['bidDeadline', 'openingTime'],
  ],
  prequalification: [
    ['documentsFrom', 'documentsTo'],
    ['documentsFrom', 'applicationDeadline'],
  ],
  procurement: [
    ['documentsFrom', 'documentsTo'],
    ['documentsFrom', 'bidDeadline'],
    ['bidDeadline', 'openingTime'],
  ],
  transfer: [
    ['listingStart', 'listingEnd'],
    ['listingStart', 'auctionStart'],
  ],
  'bid-opening': [],
  auction: [['startTime', 'endTime']],
  candidates: [['publicityStart', 'publicityEnd']],
  deal: [['publicityStart', 'publicityEnd']],
};

export function checkOrder(type: string, details: Record<string, unknown>, errors: FieldError[]) {
  for (const [a, b] of ORDER[type] ?? []) {
    const x = details[a];
    const y = details[b];
    if (typeof x === 'string' && typeof y === 'string' && Date.parse(y) < Date.parse(x)) {
      errors.push({
        field: `details.${b}`,
        message: `不能早于 ${a === 'documentsFrom' ? '文件发出时间' : (FIELD_LABELS[a] ?? a)}`,
      });
    }
  }
  if (type === 'candidates') {
    const ranks = (details.candidates as { rank: number }[]).map((c) => c.rank).sort((p, q) => p - q);
    if (ranks.some((r, i) => r !== i + 1))
      errors.push({ field: 'details.candidates', message: '候选人排名应从 1 开始连续且不重复' });
    const start = details.publicityStart as string;
    if (start && chinaDate(new Date(start)) < (details.evaluationReportDate as string)) {
      errors.push({ field: 'details.publicityStart', message: '公示开始时间不能早于评标报告日期' });
    }
  }
  if (type === 'candidates' || type === 'result') checkRejectedBids(type, details, errors);
  if (type === 'procurement' && details.method === 'single-source' && details.evaluationMethod !== undefined)
    errors.push({ field: 'details.evaluationMethod', message: '单一来源采购不经评审，不填写评审方法' });
  if (type === 'auction') {
    const rounds = (details.rounds as { round: number }[]).map((r) => r.round);
    if (new Set(rounds).size !== rounds.length) errors.push({ field: 'details.rounds', message: '竞价轮次不能重复' });
  }
  if (type === 'correction') {
    const changes = details.changes as Record<string, unknown>;
    if (!Object.keys(changes).length && !details.reason)
      errors.push({ field: 'details.changes', message: '请说明更正内容' });
  }
}

/**
 * A rejected bid is out of the competition in its lot: it cannot also be a candidate or winner there, nor be listed
 * twice; on a candidate publicity its lot is the publicity's.
 */
function checkRejectedBids(type: string, details: Record<string, unknown>, errors: FieldError[]) {
  const rejected = details.rejectedBids as { creditCode: string; lotCode?: string }[] | undefined;
  if (!rejected) return;
  const noticeLot = type === 'candidates' ? (details.lotCode as string | undefined) : undefined;
  const chosen =
    type === 'candidates'
      ? (details.candidates as { creditCode: string }[]).map((c) => `${c.creditCode}/${noticeLot ?? ''}`)
      : (details.winners as { creditCode: string; lotCode?: string }[]).map(
          (w) => `${w.creditCode}/${w.lotCode ?? ''}`,
        );
  const seen = new Set<string>();
  rejected.forEach((r, i) => {
    const field = `details.rejectedBids[${i}]`;
    if (noticeLot && r.lotCode && r.lotCode !== noticeLot) {
      errors.push({ field: `${field}.lotCode`, message: `应为本公示的标段（包）${noticeLot}，或留空` });
      return;
    }
    const key = `${r.creditCode}/${r.lotCode ?? noticeLot ?? ''}`;
    if (seen.has(key)) errors.push({ field: `${field}.creditCode`, message: '同一投标人在同一标段（包）重复列出' });
    else if (chosen.includes(key))
      errors.push({
        field: `${field}.creditCode`,
        message:
          type === 'candidates' ? '被否决投标的投标人不能同时列为中标候选人' : '被否决投标的投标人不能同时为中标人',
      });
    seen.add(key);
  });
}

const FIELD_LABELS: Record<string, string> = {
  documentsTo: '文件获取截止时间',
  bidDeadline: '投标截止时间',
  openingTime: '开标时间',
  listingStart: '挂牌开始时间',
  listingEnd: '挂牌截止时间',
  startTime: '开始时间',
  publicityStart: '公示开始时间',
  applicationDeadline: '申请截止时间',
};

// ---- timing facts -----------------------------------------------------------------------------------
const FACT_FIELDS = [
  'documentsFrom',
  'documentsTo',
  'bidDeadline',
  'openingTime',
  'evaluationReportDate',
  'publicityStart',
  'publicityEnd',
  'decisionDate',
  'signedDate',
  'listingStart',
  'listingEnd',
  'auctionStart',
];

/** The dates of stored details, by fact name (see domain/timing-rules.ts). */
export function detailDates(details: Record<string, unknown>): Record<string, Date | undefined> {
  const dates: Record<string, Date | undefined> = {};
  for (const f of FACT_FIELDS) {
    const v = details[f];
    if (typeof v === 'string') dates[f] = parseDateTimeInput(v);
  }
  return dates;
}
