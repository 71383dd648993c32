// A real SMTP server for tests (the npm package smtp-server), on a loopback port: it receives
// what the mail worker sends over the network, can be stopped (an outage) and restarted on the
// same port, or made to refuse mail with a transient error.
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string;
  headers: Map<string, string>;
}

const user = 'behalf';
const pass = 'smtp-test-secret';

export class TestSmtpServer {
  readonly received: ReceivedMail[] = [];
  /** When set, every recipient is refused with 451 (a transient failure). */
  rejecting = false;
  private server: SMTPServer | null = null;
  private portNumber = 0;

  static async start(): Promise<TestSmtpServer> {
    const s = new TestSmtpServer();
    await s.listen(0);
    return s;
  }

  get port(): number {
    return this.portNumber;
  }

  /** SMTP_URL for the server, with credentials the server checks. */
  get url(): string {
    return `smtp://${user}:${pass}@127.0.0.1:${this.portNumber}`;
  }

  /** The outage: the port stops answering. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Recovery: listens again on the same port. */
  async restart(): Promise<void> {
    await this.listen(this.portNumber);
  }

  private async listen(port: number): Promise<void> {
    const options: SMTPServerOptions = {
      // Plain SMTP on loopback: no STARTTLS (its self-signed certificate would fail the client's
      // verification), and AUTH allowed without TLS so the URL's credentials are exercised.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      closeTimeout: 100,
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === user && auth.password === pass) callback(null, { user: auth.username });
        else callback(new Error('invalid credentials'));
      },
      onRcptTo: (_address, _session, callback) => {
        if (!this.rejecting) return callback();
        const error = new Error('mailbox temporarily unavailable') as Error & { responseCode: number };
        error.responseCode = 451;
        callback(error);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const parsed = parseMessage(Buffer.concat(chunks).toString('latin1'));
          this.received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            ...parsed,
          });
          callback();
        });
      },
    };
    const server = new SMTPServer(options);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    server.on('error', () => {});
    this.server = server;
    const address = server.server.address();
    this.portNumber = typeof address === 'object' && address ? address.port : port;
  }
}

/** Just enough RFC 5322/2047/2045 to read what nodemailer writes: headers, encoded words, QP/base64. */
function parseMessage(raw: string): Omit<ReceivedMail, 'from' | 'to'> {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, ' ');
  const rawBody = raw.slice(split + 4);
  const headers = new Map<string, string>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  let bytes: Buffer;
  if (encoding === 'quoted-printable') bytes = decodeQuotedPrintable(rawBody);
  else if (encoding === 'base64') bytes = Buffer.from(rawBody.replace(/\s+/g, ''), 'base64');
  else bytes = Buffer.from(rawBody, 'latin1');
  return {
    subject: decodeWords(headers.get('subject') ?? ''),
    text: bytes.toString('utf8').replace(/\r\n/g, '\n').replace(/\n$/, ''),
    messageId: headers.get('message-id') ?? '',
    headers,
  };
}

function decodeQuotedPrintable(text: string): Buffer {
  const soft = text.replace(/=\r\n/g, '');
  const out: number[] = [];
  for (let i = 0; i < soft.length; i++) {
    if (soft[i] === '=' && /^[0-9A-F]{2}$/i.test(soft.slice(i + 1, i + 3))) {
      out.push(parseInt(soft.slice(i + 1, i + 3), 16));
      i += 2;
    } else out.push(soft.charCodeAt(i));
  }
  return Buffer.from(out);
}

function decodeWords(value: string): string {
  return value
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_m, _charset: string, kind: string, data: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : decodeQuotedPrintable(data.replace(/_/g, ' ')).toString('utf8'),
    );
}
