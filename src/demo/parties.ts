import { CREDIT_CODE_ALPHABET, makeCreditCode } from '../domain/credit-code.js';
import { Random, hashString } from './random.js';
import {
  COMPANY_STEMS,
  COMPANY_TRADES,
  DISTRICTS,
  GIVEN_NAMES,
  localName,
  SURNAMES,
  type District,
  type Trade,
} from './tables.js';

/**
 * Organisations of the demo data. A name always gets the same unified social credit code (derived from the
 * name, not from the order of generation), valid per GB 32100-2015: registering authority and type
 * (91 company, 11 government organ, 12 public institution), a Dalian region code, a made-up organisation code.
 */
export interface Org {
  name: string;
  creditCode: string;
  address: string;
  contactName: string;
  contactPhone: string;
}

export type OrgKind = 'company' | 'organ' | 'institution';
const KIND_PREFIX: Record<OrgKind, string> = { company: '91', organ: '11', institution: '12' };
const ALPHABET = [...CREDIT_CODE_ALPHABET];
const LETTERS = ALPHABET.slice(10);

export function creditCodeFor(name: string, kind: OrgKind, regionCode: string): string {
  const r = new Random(hashString(name));
  // New companies' organisation codes begin with MA; older bodies carry 8 digits and a check character.
  const org =
    kind === 'company'
      ? `MA${r.pick(['0', '1'])}${r.pick(LETTERS)}${r.digits(2)}${r.pick(LETTERS)}${r.digits(2)}`
      : `${r.digits(8)}${r.pick(ALPHABET)}`;
  return makeCreditCode(`${KIND_PREFIX[kind]}${regionCode}${org}`);
}

export function personName(r: Random): string {
  return r.pick(SURNAMES) + r.pick(GIVEN_NAMES);
}

export function officePhone(r: Random): string {
  return `0411-${r.pick(['8', '3', '6'])}${r.digits(7)}`;
}

export function org(name: string, kind: OrgKind, regionCode: string, address: string): Org {
  const r = new Random(hashString(`contact:${name}`));
  return {
    name,
    creditCode: creditCodeFor(name, kind, regionCode),
    address,
    contactName: personName(r),
    contactPhone: officePhone(r),
  };
}

/** An invented company of a trade, e.g. 大连宏建建设集团有限公司, registered in one of Dalian's districts. */
export function company(r: Random, trade: Trade): Org {
  const suffixes = COMPANY_TRADES[trade];
  const stem = r.pick(COMPANY_STEMS);
  const name = `${r.chance(0.75) ? '大连' : '辽宁'}${stem}${suffixes[hashString(stem) % suffixes.length]}`;
  return companyNamed(name);
}

export function companyNamed(name: string): Org {
  const r = new Random(hashString(`home:${name}`));
  // Most firms sit in the six central districts.
  const district = r.chance(0.8) ? r.pick(DISTRICTS.slice(0, 6)) : r.pick(DISTRICTS);
  return org(
    name,
    'company',
    name.startsWith('辽宁') ? '210200' : district.code,
    localName(district, `${r.pick(district.roads)}${r.int(1, 399)}号`),
  );
}

/** A district's government body, e.g. 大连市金州区教育局. */
export function localOrgan(d: District, body: string, r: Random): Org {
  return org(localName(d, body), 'organ', d.code, localName(d, `${r.pick(d.roads)}${r.int(1, 200)}号`));
}

export function localCompany(d: District, name: string, r: Random): Org {
  return org(name, 'company', d.code, localName(d, `${r.pick(d.roads)}${r.int(1, 200)}号`));
}

/** `n` different companies of a trade. */
export function companies(r: Random, trade: Trade, n: number): Org[] {
  const suffixes = COMPANY_TRADES[trade];
  const names = new Set<string>();
  for (const stem of r.sample(COMPANY_STEMS, n)) {
    names.add(`${r.chance(0.75) ? '大连' : '辽宁'}${stem}${suffixes[hashString(stem) % suffixes.length]}`);
  }
  return [...names].map(companyNamed);
}

export const partyRef = (o: Org) => ({ name: o.name, creditCode: o.creditCode });
export const contactParty = (o: Org) => ({
  name: o.name,
  creditCode: o.creditCode,
  address: o.address,
  contactName: o.contactName,
  contactPhone: o.contactPhone,
});
