import { DomainError } from './errors.js';

/**
 * Money is held as integer fen (分) in a bigint: never a float, so 0.1 + 0.2 stays exact and sums over a
 * year's deals (tens of billions of yuan) cannot lose a fen.
 */
export type AmountUnit = '元' | '万元';
export const AMOUNT_UNITS: readonly AmountUnit[] = ['元', '万元'];

const FEN_PER_UNIT: Record<AmountUnit, bigint> = { 元: 100n, 万元: 1_000_000n };
// Decimals that still land on a whole fen.
const MAX_DECIMALS: Record<AmountUnit, number> = { 元: 2, 万元: 6 };
// 10^15 yuan: far above any real deal, well inside a signed 64-bit column.
const MAX_FEN = 10n ** 17n;

function isAmountUnit(unit: unknown): unit is AmountUnit {
  return (AMOUNT_UNITS as readonly unknown[]).includes(unit);
}

export function parseAmount(value: string, unit: AmountUnit): bigint {
  if (!isAmountUnit(unit)) {
    throw new DomainError('amount.invalid', '金额单位不正确，应为元或万元', { value, unit });
  }
  const match = typeof value === 'string' ? /^(\d+)(?:\.(\d+))?$/.exec(value) : null;
  if (!match || (match[2] ?? '').length > MAX_DECIMALS[unit]) {
    throw new DomainError(
      'amount.invalid',
      `金额格式不正确：应为不带正负号和千分位的数字，以${unit}为单位时最多${MAX_DECIMALS[unit]}位小数`,
      { value, unit },
    );
  }
  const [, whole, fraction = ''] = match;
  const scale = MAX_DECIMALS[unit];
  const fen = BigInt(whole) * FEN_PER_UNIT[unit] + BigInt(fraction.padEnd(scale, '0'));
  if (fen > MAX_FEN) {
    throw new DomainError('amount.invalid', '金额格式不正确：超过上限 1,000,000,000,000,000 元', { value, unit });
  }
  return fen;
}

/** Decimal string of `fen` in the given unit, fraction padded to `minDecimals` and otherwise trimmed. */
function toDecimal(fen: bigint, unit: AmountUnit, minDecimals: number): string {
  const sign = fen < 0n ? '-' : '';
  const abs = fen < 0n ? -fen : fen;
  const per = FEN_PER_UNIT[unit];
  let fraction = (abs % per).toString().padStart(MAX_DECIMALS[unit], '0');
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  return `${sign}${abs / per}${fraction ? '.' + fraction : ''}`;
}

export function formatYuan(fen: bigint): string {
  return toDecimal(fen, '元', 2);
}

export function formatAmountIn(fen: bigint, unit: AmountUnit): string {
  return toDecimal(fen, unit, unit === '元' ? 2 : 0);
}

export function displayAmount(fen: bigint, unit: AmountUnit): string {
  const [whole, fraction] = formatAmountIn(fen, unit).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${grouped}${fraction === undefined ? '' : '.' + fraction}${unit}`;
}

// ---- price forms ------------------------------------------------------------------------------------

/** A bid price is an amount, or a rate/discount against a reference price. */
export type PriceForm = 'amount' | 'down-rate' | 'fee-rate' | 'discount' | 'unit-price';

export const PRICE_FORMS: Record<PriceForm, { label: string }> = {
  amount: { label: '报价金额' },
  'down-rate': { label: '下浮率' },
  'fee-rate': { label: '费率' },
  discount: { label: '折扣率' },
  'unit-price': { label: '单价' },
};

export interface Price {
  form: PriceForm;
  /** Normalised decimal in `unit`: an amount as formatAmountIn gives it, a rate without trailing zeros. */
  value: string;
  unit: AmountUnit | '%';
  /** Set for the amount forms only. */
  fen?: bigint;
}

function isAmountForm(form: PriceForm): boolean {
  return form === 'amount' || form === 'unit-price';
}

export function parsePrice(input: { form: string; value: string; unit: string }): Price {
  const { form, value, unit } = input;
  if (!Object.hasOwn(PRICE_FORMS, form)) {
    throw new DomainError('price.invalid', `报价形式不正确：“${form}”不是可用的报价形式`, { field: 'form', form });
  }
  const priceForm = form as PriceForm;
  const label = PRICE_FORMS[priceForm].label;

  if (isAmountForm(priceForm)) {
    if (!isAmountUnit(unit)) {
      throw new DomainError('price.invalid', `${label}的单位应为元或万元`, { field: 'unit', unit });
    }
    try {
      const fen = parseAmount(value, unit);
      return { form: priceForm, value: formatAmountIn(fen, unit), unit, fen };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      throw new DomainError('price.invalid', error.message.replace(/^金额/, label), { field: 'value', value, unit });
    }
  }

  if (unit !== '%') {
    throw new DomainError('price.invalid', `${label}的单位应为%`, { field: 'unit', unit });
  }
  const match = typeof value === 'string' ? /^(\d+)(?:\.(\d{1,4}))?$/.exec(value) : null;
  const whole = match ? match[1].replace(/^0+(?=\d)/, '') : '';
  const fraction = match ? (match[2] ?? '').replace(/0+$/, '') : '';
  const outOfRange = Number(whole) > 100 || (Number(whole) === 100 && fraction !== '');
  if (!match || outOfRange) {
    throw new DomainError('price.invalid', `${label}应为0到100之间的数值，最多4位小数`, { field: 'value', value });
  }
  return { form: priceForm, value: fraction ? `${whole}.${fraction}` : whole, unit: '%' };
}

export function displayPrice(p: Price): string {
  if (p.form === 'amount' && p.fen !== undefined && p.unit !== '%') return displayAmount(p.fen, p.unit);
  if (p.form === 'unit-price' && p.fen !== undefined && p.unit !== '%') {
    return `${PRICE_FORMS[p.form].label} ${displayAmount(p.fen, p.unit)}`;
  }
  return `${PRICE_FORMS[p.form].label} ${p.value}${p.unit}`;
}
