// Local stand-ins for the services notices go out through, so nothing leaves the machine: a real
// SMTP server (smtp-server) that keeps what it receives, and one HTTP endpoint answering as the
// Aliyun and Tencent Cloud SMS APIs and the 钉钉/企业微信 robots do, which can be told to fail the
// next requests (HTTP 500) or to refuse them the way each service refuses (HTTP 200, an error code).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';

export interface ReceivedMail { from: string; to: string[]; subject: string; text: string; user: string | null }

export async function startFakeSmtp(credentials: { user: string; pass: string }) {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.user && auth.password === credentials.pass) callback(null, { user: auth.username });
      else callback(new Error('invalid credentials'));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          mails.push({
            from: parsed.from?.text ?? '',
            to: session.envelope.rcptTo.map((r) => r.address),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            user: (session.user as string | undefined) ?? null,
          });
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return { port, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

export interface ReceivedRequest { method: string; url: URL; headers: http.IncomingHttpHeaders; body: string }

export async function startFakeHttp() {
  const requests: ReceivedRequest[] = [];
  const state = { failNext: 0, refuseNext: 0 };
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      requests.push({ method: req.method ?? '', url, headers: req.headers, body });
      res.setHeader('content-type', 'application/json');
      if (state.failNext > 0) {
        state.failNext -= 1;
        res.statusCode = 500;
        res.end(JSON.stringify({ Code: 'InternalError', Message: 'fake failure' }));
        return;
      }
      const refuse = state.refuseNext > 0;
      if (refuse) state.refuseNext -= 1;
      // Aliyun SMS answers Code/BizId; Tencent Cloud (a JSON POST naming its action in X-TC-Action)
      // a status per number inside Response; the robots answer errcode 0.
      if (url.searchParams.has('PhoneNumbers')) {
        res.end(JSON.stringify(refuse
          ? { Code: 'isv.BUSINESS_LIMIT_CONTROL', Message: '触发号码天级流控', RequestId: 'req' }
          : { Code: 'OK', Message: 'OK', BizId: `biz-${requests.length}`, RequestId: 'req' }));
      } else if (req.headers['x-tc-action'] === 'SendSms') {
        const phone = (JSON.parse(body) as { PhoneNumberSet?: string[] }).PhoneNumberSet?.[0] ?? '';
        const status = refuse
          ? { SerialNo: '', PhoneNumber: phone, Fee: 0, Code: 'LimitExceeded.PhoneNumberDailyLimit', Message: '单个手机号日下发短信条数超过设定的上限' }
          : { SerialNo: `sn-${requests.length}`, PhoneNumber: phone, Fee: 1, Code: 'Ok', Message: 'send success' };
        res.end(JSON.stringify({ Response: { SendStatusSet: [status], RequestId: `req-${requests.length}` } }));
      } else {
        res.end(JSON.stringify(refuse ? { errcode: 310000, errmsg: 'sign not match' } : { errcode: 0, errmsg: 'ok' }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, requests, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
