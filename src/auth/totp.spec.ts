import { base32Decode, base32Encode, hotp, matchTotp, otpauthUri, totp, totpStep } from './totp.js';

// RFC 6238 appendix B: the SHA-1 key is the ASCII string "12345678901234567890".
const RFC_KEY = Buffer.from('12345678901234567890');
const RFC_SECRET = base32Encode(RFC_KEY);

describe('TOTP (RFC 6238, HMAC-SHA1)', () => {
  it('round-trips base32 and reads what people type', () => {
    expect(RFC_SECRET).toBe('GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ');
    expect(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq')).toEqual(RFC_KEY);
    expect(() => base32Decode('ABC1')).toThrow();
  });

  it.each([
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ])('gives the RFC test vector at T=%p', (seconds, code) => {
    expect(totp(RFC_SECRET, new Date(seconds * 1000), 8)).toBe(code);
    expect(totp(RFC_SECRET, new Date(seconds * 1000))).toBe(code.slice(2));
  });

  it('matches HOTP test vectors of RFC 4226', () => {
    expect([0, 1, 2, 9].map((c) => hotp(RFC_KEY, c))).toEqual(['755224', '287082', '359152', '520489']);
  });

  it('accepts one step of drift either way, never a used step, never garbage', () => {
    const at = new Date(1_700_000_000_000);
    const step = totpStep(at);
    const code = (s: number) => hotp(RFC_KEY, s);
    expect(matchTotp(RFC_SECRET, code(step), at)).toBe(step);
    expect(matchTotp(RFC_SECRET, code(step - 1), at)).toBe(step - 1);
    expect(matchTotp(RFC_SECRET, code(step + 1), at)).toBe(step + 1);
    expect(matchTotp(RFC_SECRET, code(step - 2), at)).toBeNull();
    expect(matchTotp(RFC_SECRET, code(step), at, step)).toBeNull();
    expect(matchTotp(RFC_SECRET, ` ${code(step).slice(0, 3)} ${code(step).slice(3)} `, at)).toBe(step);
    for (const bad of ['', '12345', '1234567', 'abcdef', undefined as unknown as string])
      expect(matchTotp(RFC_SECRET, bad, at)).toBeNull();
  });

  it('writes the otpauth URI authenticator apps read', () => {
    expect(otpauthUri('JBSWY3DPEHPK3PXP', '大连市公共资源交易中心', 'clerk')).toBe(
      'otpauth://totp/%E5%A4%A7%E8%BF%9E%E5%B8%82%E5%85%AC%E5%85%B1%E8%B5%84%E6%BA%90%E4%BA%A4%E6%98%93%E4%B8%AD%E5%BF%83:clerk?secret=JBSWY3DPEHPK3PXP&issuer=%E5%A4%A7%E8%BF%9E%E5%B8%82%E5%85%AC%E5%85%B1%E8%B5%84%E6%BA%90%E4%BA%A4%E6%98%93%E4%B8%AD%E5%BF%83&algorithm=SHA1&digits=6&period=30',
    );
  });
});
