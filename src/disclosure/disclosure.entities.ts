import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { textColumn, timeColumn } from '../database/columns.js';
import type {
  ApplicantType,
  DeliveryChannel,
  DeliveryForm,
  LawsuitRoute,
  OutcomeGroup,
  ReceiptChannel,
  RequestStatus,
  ReviewKind,
  ReviewOutcome,
} from '../domain/disclosure.js';

/**
 * A request for disclosure on application (依申请公开). Dates of the statutory clock are China dates
 * (YYYY-MM-DD). What identifies the applicant (name, credit code, identity document, contact) is one encrypted
 * JSON value, `personal` (disclosure-crypto.ts): it is never in open data, the access log or the audit log.
 * The yearly report counts from `applicant_type`, `received_on`, `outcome`, `outcome_reason` and `answered_on`.
 */
@Entity('disclosure_request')
export class DisclosureRequest {
  @PrimaryGeneratedColumn()
  id: number;

  /** YSQ2026-000123: shown on the receipt, asked for with the code. */
  @Column({ name: 'tracking_no', type: 'varchar', length: 24 })
  trackingNo: string;

  /** sha256 of the tracking number and the secret code given on the receipt; the code itself is never kept. */
  @Column({ name: 'code_hash', type: 'varchar', length: 64 })
  codeHash: string;

  @Column({ type: 'varchar', length: 16 })
  channel: ReceiptChannel;

  @Column({ name: 'applicant_type', type: 'varchar', length: 32 })
  applicantType: ApplicantType;

  /** Encrypted JSON of PersonalData (AES-256-GCM). */
  @Column(textColumn('personal'))
  personal: string;

  @Column(textColumn('description'))
  description: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  purpose: string | null;

  @Column({ name: 'delivery_form', type: 'varchar', length: 16 })
  deliveryForm: DeliveryForm;

  @Column({ name: 'delivery_channel', type: 'varchar', length: 16 })
  deliveryChannel: DeliveryChannel;

  /** When it was submitted online, or registered by staff. */
  @Column(timeColumn('submitted_at'))
  submittedAt: Date;

  /** The date of receipt (art. 31): the clock runs from it. */
  @Column({ name: 'received_on', type: 'varchar', length: 10 })
  receivedOn: string;

  @Column({ type: 'varchar', length: 32 })
  status: RequestStatus;

  @Column({ name: 'clarification_requested_on', type: 'varchar', length: 10, nullable: true })
  clarificationRequestedOn: string | null;

  /** The period given to the applicant to clarify (art. 30 合理的补正期限). */
  @Column({ name: 'clarification_due_on', type: 'varchar', length: 10, nullable: true })
  clarificationDueOn: string | null;

  @Column(textColumn('clarification_text', { nullable: true }))
  clarificationText: string | null;

  /** Receipt of the clarified request: the answer period runs from it. */
  @Column({ name: 'clarified_on', type: 'varchar', length: 10, nullable: true })
  clarifiedOn: string | null;

  @Column({ name: 'extension_granted_on', type: 'varchar', length: 10, nullable: true })
  extensionGrantedOn: string | null;

  @Column({ name: 'extension_days', type: 'int', nullable: true })
  extensionDays: number | null;

  /** The head of the disclosure office who approved the extension (art. 33). */
  @Column({ name: 'extension_approver', type: 'varchar', length: 100, nullable: true })
  extensionApprover: string | null;

  /** The notice of the extension sent to the applicant, and when. */
  @Column(textColumn('extension_notice', { nullable: true }))
  extensionNotice: string | null;

  @Column({ name: 'extension_notified_on', type: 'varchar', length: 10, nullable: true })
  extensionNotifiedOn: string | null;

  /** The last day to answer as last computed (lists sort by it; pages recompute it from the calendar). */
  @Column({ name: 'due_on', type: 'varchar', length: 10, nullable: true })
  dueOn: string | null;

  @Column({ type: 'varchar', length: 24, nullable: true })
  outcome: OutcomeGroup | null;

  @Column({ name: 'outcome_reason', type: 'varchar', length: 32, nullable: true })
  outcomeReason: string | null;

  @Column(textColumn('reply_text', { nullable: true }))
  replyText: string | null;

  /** The day it was answered or deemed withdrawn: the report's year of the outcome. */
  @Column({ name: 'answered_on', type: 'varchar', length: 10, nullable: true })
  answeredOn: string | null;

  @Column(timeColumn('identity_deleted_at', { nullable: true }))
  identityDeletedAt: Date | null;

  @Column({ name: 'ip_hash', type: 'varchar', length: 64, nullable: true })
  ipHash: string | null;

  @Column({ name: 'registered_by', type: 'int', nullable: true })
  registeredBy: number | null;

  @Column(timeColumn('created_at'))
  createdAt: Date;

  @Column(timeColumn('updated_at'))
  updatedAt: Date;
}

export type StepKind =
  | 'received'
  | 'registered'
  | 'clarification-requested'
  | 'clarified'
  | 'extended'
  | 'paused'
  | 'resumed'
  | 'answered'
  | 'withdrawn'
  | 'identity-deleted';

/** One step of a request, in order: what staff and the applicant see as its history. Pauses are read from here. */
@Entity('disclosure_step')
export class DisclosureStep {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'request_id', type: 'int' })
  requestId: number;

  @Column({ type: 'varchar', length: 32 })
  kind: StepKind;

  /** The China date the step counts from (the clock's facts). */
  @Column({ name: 'on_date', type: 'varchar', length: 10 })
  onDate: string;

  @Column(timeColumn('at'))
  at: Date;

  @Column({ name: 'actor_name', type: 'varchar', length: 100 })
  actorName: string;

  /** Staff's note (whom a third party is, the approver): never shown to the applicant. */
  @Column(textColumn('note', { nullable: true }))
  note: string | null;
}

/** A file of a request, encrypted: the applicant's identity document, or an attachment of the reply. */
@Entity('disclosure_file')
export class DisclosureFile {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'request_id', type: 'int' })
  requestId: number;

  @Column({ type: 'varchar', length: 16 })
  kind: 'identity' | 'reply';

  @Column({ name: 'file_name', type: 'varchar', length: 255 })
  fileName: string;

  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType: string;

  @Column({ name: 'size_bytes', type: 'int' })
  size: number;

  /** Which key encrypted it (disclosure-crypto.ts keyId). */
  @Column({ name: 'key_id', type: 'varchar', length: 16 })
  keyId: string;

  /** Version byte, 12-byte IV, 16-byte GCM tag, ciphertext. */
  @Column({ type: 'blob' })
  data: Buffer;

  @Column(timeColumn('created_at'))
  createdAt: Date;
}

/** An administrative reconsideration or lawsuit about disclosure (table 四 of the yearly report). */
@Entity('disclosure_review')
export class DisclosureReview {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: 'varchar', length: 16 })
  kind: ReviewKind;

  /** Lawsuits only: brought directly or after a reconsideration. */
  @Column({ name: 'lawsuit_route', type: 'varchar', length: 24, nullable: true })
  lawsuitRoute: LawsuitRoute | null;

  @Column({ name: 'request_id', type: 'int', nullable: true })
  requestId: number | null;

  /** 案号 of the reconsideration body or court. */
  @Column({ name: 'case_number', type: 'varchar', length: 100 })
  caseNumber: string;

  @Column({ name: 'filed_on', type: 'varchar', length: 10 })
  filedOn: string;

  @Column({ type: 'varchar', length: 16 })
  outcome: ReviewOutcome;

  @Column({ name: 'decided_on', type: 'varchar', length: 10, nullable: true })
  decidedOn: string | null;

  @Column(textColumn('note', { nullable: true }))
  note: string | null;

  @Column(timeColumn('created_at'))
  createdAt: Date;

  @Column(timeColumn('updated_at'))
  updatedAt: Date;
}

/** A setting of the statutory clock (domain/disclosure-clock.ts), with its basis; administrators adjust it. */
@Entity('disclosure_rule')
export class DisclosureRuleRow {
  @PrimaryColumn({ type: 'varchar', length: 40 })
  code: string;

  @Column({ type: 'varchar', length: 200 })
  label: string;

  @Column({ type: 'varchar', length: 300 })
  basis: string;

  @Column({ type: 'int' })
  amount: number;

  @Column({ type: 'boolean' })
  enabled: boolean;

  @Column(timeColumn('updated_at'))
  updatedAt: Date;
}

/** Submissions and code checks by client address (hashed): what the per-address limits count. */
@Entity('disclosure_attempt')
export class DisclosureAttempt {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ name: 'ip_hash', type: 'varchar', length: 64 })
  ipHash: string;

  @Column({ type: 'varchar', length: 16 })
  kind: 'submit' | 'lookup';

  @Column(timeColumn('created_at'))
  createdAt: Date;
}

/** The encryption key generated once when DISCLOSURE_KEY is not set (development, tests): like the log's signing key. */
@Entity('disclosure_key')
export class DisclosureKey {
  @PrimaryColumn({ name: 'key_id', type: 'varchar', length: 16 })
  keyId: string;

  /** base64 of the 32 key bytes. */
  @Column({ name: 'secret', type: 'varchar', length: 64 })
  secret: string;

  @Column(timeColumn('created_at'))
  createdAt: Date;
}

export const DISCLOSURE_ENTITIES = [
  DisclosureRequest,
  DisclosureStep,
  DisclosureFile,
  DisclosureReview,
  DisclosureRuleRow,
  DisclosureAttempt,
  DisclosureKey,
];
