import net from 'node:net';
import tls, { type DetailedPeerCertificate, type PeerCertificate, type TLSSocket } from 'node:tls';

/** Socket events an HTTP check times its phases by (blackbox_exporter's resolve, connect, tls). */
export type ConnectionMarks = Partial<Record<'lookup' | 'connect' | 'secure', number>>;

/** A TLS connection refused because of its certificate; `expiresAt` is the chain's earliest expiry. */
export class CertificateError extends Error {
  constructor(
    message: string,
    readonly expiresAt: Date | null,
  ) {
    super(message);
    this.name = 'CertificateError';
  }
}

/** A connected, verified TLS socket and the earliest expiry of the certificate chain it presented. */
export interface VerifiedTls {
  socket: TLSSocket;
  expiresAt: Date | null;
}

/**
 * The earliest `valid_to` over the peer chain: the leaf, then each issuer until the chain ends (an
 * issuer Node could not find) or refers to itself (the root). blackbox_exporter's
 * probe_ssl_earliest_cert_expiry: an intermediate expiring before the leaf breaks the site as surely.
 */
export function earliestExpiry(leaf: DetailedPeerCertificate | PeerCertificate): Date | null {
  let earliest: number | null = null;
  const seen = new Set<string>();
  let cert: DetailedPeerCertificate | PeerCertificate | undefined = leaf;
  while (cert && cert.valid_to && !seen.has(cert.fingerprint256)) {
    seen.add(cert.fingerprint256);
    const at = Date.parse(cert.valid_to);
    if (!Number.isNaN(at) && (earliest === null || at < earliest)) earliest = at;
    cert = 'issuerCertificate' in cert ? cert.issuerCertificate : undefined;
  }
  return earliest === null ? null : new Date(earliest);
}

const day = (date: Date | null) => (date ? date.toISOString().slice(0, 10) : 'an unknown date');

/** The names a certificate is for: its subjectAltName entries, else its common name. */
function namesOf(cert: PeerCertificate): string {
  const alt = (cert.subjectaltname ?? '')
    .split(',')
    .map((entry) => entry.trim().replace(/^(DNS|IP Address):/, ''))
    .filter(Boolean);
  const names = alt.length ? alt : [cert.subject?.CN].flat().filter((n): n is string => Boolean(n));
  return names.length ? names.join(', ') : 'no name';
}

/** The issuer's common name (or organisation), for "issued by an unknown CA ...". */
function issuerOf(cert: PeerCertificate): string {
  const name = [cert.issuer?.CN ?? cert.issuer?.O].flat()[0];
  return name ? JSON.stringify(name) : 'an unnamed issuer';
}

/**
 * Why a certificate is not trusted for `host`, in words, from OpenSSL's verification code (Node's
 * `authorizationError`) or the hostname check; null when it is fine. Dates are UTC days.
 */
export function certificateProblem(
  code: string | null,
  cert: DetailedPeerCertificate,
  host: string,
  expiresAt: Date | null,
): string | null {
  // Node ran the hostname check itself once the chain verified (ERR_TLS_CERT_ALTNAME_INVALID).
  if (code === null) return null;
  switch (code) {
    case 'CERT_HAS_EXPIRED':
      return `certificate expired on ${day(expiresAt)}`;
    case 'CERT_NOT_YET_VALID':
      return `certificate is not valid before ${day(cert.valid_from ? new Date(cert.valid_from) : null)}`;
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return `hostname mismatch: certificate is for ${namesOf(cert)}, not ${host}`;
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
      return 'untrusted certificate: self-signed';
    case 'SELF_SIGNED_CERT_IN_CHAIN':
      return `untrusted certificate: self-signed certificate in the chain (root ${issuerOf(lastOf(cert))})`;
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
      return `untrusted certificate: issued by unknown CA ${issuerOf(lastOf(cert))}`;
    default:
      return `untrusted certificate: ${code}`;
  }
}

/** The last certificate of the chain Node assembled (the one whose issuer is missing or itself). */
function lastOf(cert: DetailedPeerCertificate): DetailedPeerCertificate {
  let last = cert;
  for (let depth = 0; depth < 16; depth += 1) {
    const next = last.issuerCertificate;
    if (!next || next === last || next.fingerprint256 === last.fingerprint256) break;
    last = next;
  }
  return last;
}

/**
 * Opens a TLS connection to `host:port` and verifies it ourselves before anything is written: Node's
 * own check (rejectUnauthorized) would close the socket without the certificate, and we want its
 * expiry even when it is refused (to say "expired on ..." and keep the gauge). The chain is verified
 * against `ca` (a private CA) or Node's roots, then the hostname is checked; on any problem the socket
 * is destroyed and a CertificateError says why. Nothing is sent over an unverified connection.
 */
export function connectVerifiedTls(
  host: string,
  port: number,
  ca: string | undefined,
  signal: AbortSignal,
  marks: ConnectionMarks,
): Promise<VerifiedTls> {
  return new Promise<VerifiedTls>((resolve, reject) => {
    const socket = tls.connect({
      host,
      port,
      servername: net.isIP(host) ? undefined : host,
      rejectUnauthorized: false,
      ...(ca !== undefined ? { ca } : {}),
    });
    const onAbort = () => socket.destroy(new Error('aborted'));
    const settle = () => signal.removeEventListener('abort', onAbort);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    socket.once('lookup', () => (marks.lookup = performance.now()));
    socket.once('connect', () => (marks.connect = performance.now()));
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    // Stays attached after the handshake: an error before the request takes the socket over must not
    // crash the process (the promise is settled by then, so this is a no-op).
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      marks.secure = performance.now();
      settle();
      const cert = socket.getPeerCertificate(true);
      const expiresAt = earliestExpiry(cert);
      const code = socket.authorized ? null : String(socket.authorizationError);
      const problem = certificateProblem(code, cert, host, expiresAt);
      if (problem === null) return resolve({ socket, expiresAt });
      socket.destroy();
      reject(new CertificateError(problem, expiresAt));
    });
  });
}
