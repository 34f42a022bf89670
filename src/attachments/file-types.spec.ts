import { cleanFileName, contentDisposition, detectFileType } from './file-types.js';

const bytes = (...parts: (string | number[])[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('attachment file types', () => {
  it.each([
    ['招标文件.pdf', bytes('%PDF-1.7\n'), 'application/pdf'],
    ['现场.PNG', bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'image/png'],
    ['图.jpeg', bytes([0xff, 0xd8, 0xff, 0xe0]), 'image/jpeg'],
    ['图.jpg', bytes([0xff, 0xd8, 0xff, 0xe1]), 'image/jpeg'],
    ['a.gif', bytes('GIF89a..'), 'image/gif'],
    ['a.webp', bytes('RIFF', [1, 2, 3, 4], 'WEBPVP8 '), 'image/webp'],
    ['图纸.zip', bytes([0x50, 0x4b, 0x03, 0x04, 20]), 'application/zip'],
    ['空.zip', bytes([0x50, 0x4b, 0x05, 0x06, 0]), 'application/zip'],
    ['清单.rar', bytes('Rar!', [0x1a, 0x07, 0x01, 0x00]), 'application/vnd.rar'],
    ['清单.7z', bytes([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4]), 'application/x-7z-compressed'],
  ])('accepts %p as %p by its bytes', (name, content, type) => {
    expect(detectFileType(name, content)).toEqual({ type: expect.objectContaining({ contentType: type }) });
  });

  it.each([
    ['setup.exe', bytes('MZ\x90\x00'), '扩展名不在其中'],
    ['报价.docx', bytes([0x50, 0x4b, 0x03, 0x04]), '扩展名不在其中'],
    ['无扩展名', bytes('%PDF-1.4'), '扩展名不在其中'],
    ['病毒.pdf', bytes('MZ\x90\x00'), '内容不是PDF文件'],
    ['图.png', bytes('%PDF-1.4'), '实际是 PDF'],
    ['empty.pdf', Buffer.alloc(0), '内容不是PDF文件'],
  ])('refuses %p in Chinese', (name, content, problem) => {
    const result = detectFileType(name, content);
    expect('problem' in result && result.problem).toContain(problem);
  });

  it('cleans names and writes an RFC 5987 download name', () => {
    expect(cleanFileName('C:\\fakepath\\招标 文件.pdf')).toBe('招标 文件.pdf');
    expect(cleanFileName('../../etc/pa"ss\u0000wd.pdf')).toBe('passwd.pdf');
    expect([...cleanFileName(`${'长'.repeat(300)}.pdf`)].length).toBe(120);
    expect(cleanFileName('')).toBe('附件');
    expect(contentDisposition('招标文件(第1版).pdf')).toBe(
      `attachment; filename="____(_1_).pdf"; filename*=UTF-8''%E6%8B%9B%E6%A0%87%E6%96%87%E4%BB%B6%28%E7%AC%AC1%E7%89%88%29.pdf`,
    );
  });
});
