import { contentDisposition as downloadDisposition } from '../http/csv.js';
/**
 * The files a notice may carry: PDF, common images and archives. The type is decided by the file's first bytes
 * (its magic number), and the name's extension must agree, so a renamed executable is refused either way.
 */
export interface FileType {
  label: string;
  contentType: string;
  extensions: string[];
  matches: (head: Buffer) => boolean;
}

const startsWith = (head: Buffer, ...bytes: number[]) =>
  head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
const ascii = (s: string) => [...Buffer.from(s, 'latin1')];

export const FILE_TYPES: FileType[] = [
  {
    label: 'PDF',
    contentType: 'application/pdf',
    extensions: ['pdf'],
    matches: (h) => startsWith(h, ...ascii('%PDF-')),
  },
  {
    label: 'PNG',
    contentType: 'image/png',
    extensions: ['png'],
    matches: (h) => startsWith(h, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
  },
  {
    label: 'JPEG',
    contentType: 'image/jpeg',
    extensions: ['jpg', 'jpeg'],
    matches: (h) => startsWith(h, 0xff, 0xd8, 0xff),
  },
  {
    label: 'GIF',
    contentType: 'image/gif',
    extensions: ['gif'],
    matches: (h) => startsWith(h, ...ascii('GIF87a')) || startsWith(h, ...ascii('GIF89a')),
  },
  {
    label: 'WebP',
    contentType: 'image/webp',
    extensions: ['webp'],
    matches: (h) => startsWith(h, ...ascii('RIFF')) && h.subarray(8, 12).toString('latin1') === 'WEBP',
  },
  // A ZIP starts with a local file header, or is empty (end of central directory only).
  {
    label: 'ZIP',
    contentType: 'application/zip',
    extensions: ['zip'],
    matches: (h) => startsWith(h, 0x50, 0x4b, 0x03, 0x04) || startsWith(h, 0x50, 0x4b, 0x05, 0x06),
  },
  {
    label: 'RAR',
    contentType: 'application/vnd.rar',
    extensions: ['rar'],
    matches: (h) => startsWith(h, ...ascii('Rar!'), 0x1a, 0x07),
  },
  {
    label: '7Z',
    contentType: 'application/x-7z-compressed',
    extensions: ['7z'],
    matches: (h) => startsWith(h, 0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c),
  },
];

export const ALLOWED_TYPES_TEXT = 'PDF、图片（PNG、JPEG、GIF、WebP）或压缩包（ZIP、RAR、7Z）';

/** The type of a file from its name and bytes, or the Chinese reason it is refused. */
export function detectFileType(fileName: string, bytes: Buffer): { type: FileType } | { problem: string } {
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(fileName)?.[1].toLowerCase();
  const byName = ext ? FILE_TYPES.find((t) => t.extensions.includes(ext)) : undefined;
  if (!byName) return { problem: `只接受${ALLOWED_TYPES_TEXT}，“${fileName}”的扩展名不在其中` };
  const byContent = FILE_TYPES.find((t) => t.matches(bytes.subarray(0, 16)));
  if (byContent !== byName) {
    return {
      problem: `文件“${fileName}”的内容不是${byName.label}文件${byContent ? `（实际是 ${byContent.label}，请改正扩展名）` : ''}；只接受${ALLOWED_TYPES_TEXT}`,
    };
  }
  return { type: byName };
}

/** A safe display and download name: no path, no control characters, at most 120 characters with its extension. */
export function cleanFileName(name: string): string {
  const base = name
    .split(/[\\/]/)
    .pop()!
    .replace(/[\p{Cc}"<>|:*?]/gu, '')
    .replace(/\s+/g, ' ')
    .trim();
  if ([...base].length <= 120) return base || '附件';
  const ext = /\.[A-Za-z0-9]{1,5}$/.exec(base)?.[0] ?? '';
  return [...base.slice(0, base.length - ext.length)].slice(0, 120 - ext.length).join('') + ext;
}

/** Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266 / RFC 5987). */
export function contentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\;]/g, '_');
  return downloadDisposition({ ascii, utf8: fileName });
}
