// Certificates made by the test with the openssl CLI (no fixture files to go stale): a private CA and
// leaves signed by it (expiring in N days, already expired, for another host), and a self-signed one.
// Each is served by a real node:https server on 127.0.0.1.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const OPENSSL = '/usr/bin/openssl';
const DAY_MS = 86_400_000;

export interface TestCertificate {
  key: string;
  cert: string;
  /** notAfter, as openssl wrote it. */
  expiresAt: Date;
}

export interface TestCertificates {
  dir: string;
  /** The CA's PEM file (a target's `tls.ca_file`). */
  caFile: string;
  /** A leaf for 127.0.0.1 signed by the CA, valid for `days` (-1: expired a day ago). */
  leaf(days: number, hosts?: string[]): TestCertificate;
  /** A self-signed certificate for 127.0.0.1. */
  selfSigned(days: number): TestCertificate;
  remove(): void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync(OPENSSL, args, { cwd: dir, stdio: 'pipe' });
}

function notAfter(certFile: string): Date {
  const out = execFileSync(OPENSSL, ['x509', '-in', certFile, '-noout', '-enddate'], { encoding: 'utf8' });
  return new Date(out.trim().replace(/^notAfter=/, ''));
}

const altNames = (hosts: string[]) =>
  `subjectAltName=${hosts.map((h) => (/^[\d.]+$/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',')}\n`;

export function makeTestCertificates(): TestCertificates {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-certs-'));
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes'];
  openssl(dir, [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '365',
    '-subj',
    '/CN=Vigil Test CA',
  ]);
  let serial = 0;
  const read = (name: string): TestCertificate => ({
    key: fs.readFileSync(path.join(dir, `${name}.key`), 'utf8'),
    cert: fs.readFileSync(path.join(dir, `${name}.pem`), 'utf8'),
    expiresAt: notAfter(path.join(dir, `${name}.pem`)),
  });
  return {
    dir,
    caFile: path.join(dir, 'ca.pem'),
    leaf(days, hosts = ['127.0.0.1']) {
      const name = `leaf${(serial += 1)}`;
      fs.writeFileSync(path.join(dir, `${name}.ext`), altNames(hosts));
      openssl(dir, [
        'req',
        ...ec,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.csr`,
        '-subj',
        `/CN=${hosts[0]}`,
      ]);
      // `-days -1` writes a notAfter a day in the past: an expired certificate (openssl allows no less).
      openssl(dir, [
        'x509',
        '-req',
        '-in',
        `${name}.csr`,
        '-CA',
        'ca.pem',
        '-CAkey',
        'ca.key',
        '-set_serial',
        String(1000 + serial),
        '-days',
        String(days),
        '-extfile',
        `${name}.ext`,
        '-out',
        `${name}.pem`,
      ]);
      return read(name);
    },
    selfSigned(days) {
      const name = `self${(serial += 1)}`;
      fs.writeFileSync(path.join(dir, `${name}.ext`), altNames(['127.0.0.1']));
      openssl(dir, [
        'req',
        '-x509',
        ...ec,
        '-keyout',
        `${name}.key`,
        '-out',
        `${name}.pem`,
        '-days',
        String(days),
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ]);
      return read(name);
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Days from now to `date`, as the alert counts them. */
export const daysUntil = (date: Date) => (date.getTime() - Date.now()) / DAY_MS;

export interface TlsServer {
  port: number;
  /** Serves `certificate` from now on (the next handshake); the renewal of a test. */
  use(certificate: TestCertificate): void;
  stop(): Promise<void>;
}

/** An https server on 127.0.0.1 answering 200 "ok" with `certificate`; counts the requests it got. */
export async function startTlsServer(
  certificate: TestCertificate,
): Promise<TlsServer & { requests: number }> {
  const server = https.createServer({ key: certificate.key, cert: certificate.cert }, (req, res) => {
    state.requests += 1;
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  const state = {
    requests: 0,
    port: 0,
    use: (next: TestCertificate) => server.setSecureContext({ key: next.key, cert: next.cert }),
    stop: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.port = (server.address() as AddressInfo).port;
  return state;
}
