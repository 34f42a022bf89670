import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A mail as a mail client reads it (mailparser), with the envelope the server was given. */
export interface ReceivedMail {
  to: string[];
  raw: string;
  parsed: ParsedMail;
  header: (name: string) => string | undefined;
}

/**
 * A real SMTP server on loopback in the test process (smtp-server): it accepts anything unless told to refuse
 * a recipient (permanently, 550) or everything for now (451), and keeps what it accepted in order.
 */
export interface SmtpSink {
  url: string;
  mails: ReceivedMail[];
  /** Recipients refused with 550 (permanent). */
  refuse: Set<string>;
  /** While true, every recipient gets 451 (try again later). */
  busy: boolean;
  close: () => Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const sink: SmtpSink = { url: '', mails: [], refuse: new Set(), busy: false, close: async () => undefined };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    disableReverseLookup: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (sink.busy) return callback(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 }));
      if (sink.refuse.has(address.address.toLowerCase()))
        return callback(Object.assign(new Error('No such user here'), { responseCode: 550 }));
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            sink.mails.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              parsed,
              // The header as sent (unfolded), as a mail client's "show original" shows it.
              header: (name) => {
                const line = parsed.headerLines.find((h) => h.key === name.toLowerCase())?.line;
                return line
                  ?.slice(line.indexOf(':') + 1)
                  .replace(/\r?\n[ \t]+/g, ' ')
                  .trim();
              },
            });
            callback();
          },
          (e: Error) => callback(e),
        );
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  sink.url = `smtp://127.0.0.1:${port}`;
  sink.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return sink;
}

/** The first link in a mail's plain text that starts with `prefix`. */
export function linkIn(mail: ReceivedMail, prefix: string): string {
  const text = mail.parsed.text ?? '';
  const at = text.indexOf(prefix);
  if (at < 0) throw new Error(`no link ${prefix} in mail: ${text}`);
  return /^\S+/.exec(text.slice(at))![0];
}
