// The station's own certificate for the local page over HTTPS: the configured PEM files, or a self-signed
// pair made once with the openssl CLI in dataDir/tls and reused on later starts.
import { execFile } from 'node:child_process';
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Clock } from '../../common/clock.ts';
import type { Logger } from '../../common/log.ts';

export interface StationTls {
  cert: Buffer;
  key: Buffer;
  certFile: string;
  keyFile: string;
  /** sha256 fingerprint, to compare with what a phone shows before accepting the certificate. */
  fingerprint256: string;
  validTo: Date;
  /** Whether it was made at this start. */
  generated: boolean;
}

/** iOS refuses TLS server certificates valid for longer than 825 days, even ones accepted by hand. */
export const CERT_DAYS = 825;
/** A self-signed certificate this close to its end is made anew at start. */
const RENEW_BEFORE_MS = 30 * 86_400_000;

/** The names a phone may use for the station: host name, host.local (mDNS), localhost and every address. */
export function subjectAltNames(
  hostname = os.hostname(),
  interfaces = os.networkInterfaces(),
): { dns: string[]; ips: string[] } {
  const host = hostname.replace(/[^A-Za-z0-9.-]/g, '').slice(0, 63);
  const dns = [...new Set([host, host && !host.includes('.') ? `${host}.local` : '', 'localhost'])].filter(
    Boolean,
  );
  const ips = new Set(['127.0.0.1', '::1']);
  for (const list of Object.values(interfaces))
    for (const a of list ?? []) if (!a.internal && !a.address.startsWith('fe80:')) ips.add(a.address);
  return { dns, ips: [...ips] };
}

/** The openssl request config: no prompt, CN = station id, the SAN, a leaf for TLS servers only. */
export function opensslConfig(stationId: string, san: { dns: string[]; ips: string[] }): string {
  const alt = [...san.dns.map((d) => `DNS:${d}`), ...san.ips.map((ip) => `IP:${ip}`)].join(',');
  return [
    '[req]',
    'prompt = no',
    'distinguished_name = dn',
    'x509_extensions = ext',
    '[dn]',
    `CN = ${stationId}`,
    'O = Loa phuong station',
    '[ext]',
    `subjectAltName = ${alt}`,
    'basicConstraints = critical,CA:FALSE',
    'keyUsage = critical,digitalSignature,keyEncipherment',
    'extendedKeyUsage = serverAuth',
    'subjectKeyIdentifier = hash',
    '',
  ].join('\n');
}

const run = (cmd: string, args: string[]) =>
  new Promise<void>((resolve, reject) =>
    execFile(cmd, args, { timeout: 60_000 }, (err, _out, stderr) =>
      err ? reject(new Error(`${cmd} failed: ${String(stderr).trim() || err.message}`)) : resolve(),
    ),
  );

async function load(certFile: string, keyFile: string, generated: boolean): Promise<StationTls> {
  const [cert, key] = await Promise.all([readFile(certFile), readFile(keyFile)]);
  const x509 = new X509Certificate(cert);
  if (!x509.checkPrivateKey(createPrivateKey(key)))
    throw new Error(`${keyFile} is not the key of ${certFile}`);
  return {
    cert,
    key,
    certFile,
    keyFile,
    fingerprint256: x509.fingerprint256,
    validTo: new Date(x509.validTo),
    generated,
  };
}

/**
 * The configured files as they are; otherwise `dataDir/tls/{cert,key}.pem`, made with `openssl req -x509`
 * (RSA 2048, SHA-256, 825 days) when absent, unreadable, not a pair, or within 30 days of expiry.
 */
export async function stationTls(o: {
  stationId: string;
  dataDir: string;
  tlsCertFile?: string;
  tlsKeyFile?: string;
  clock: Clock;
  log: Logger;
  openssl?: string;
  san?: { dns: string[]; ips: string[] };
}): Promise<StationTls> {
  if (o.tlsCertFile && o.tlsKeyFile) return load(o.tlsCertFile, o.tlsKeyFile, false);
  const dir = path.join(o.dataDir, 'tls');
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  try {
    const tls = await load(certFile, keyFile, false);
    if (tls.validTo.getTime() - o.clock.now().getTime() > RENEW_BEFORE_MS) return tls;
    o.log.info(`tls: the station certificate ends ${tls.validTo.toISOString()}; making a new one`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
      o.log.warn(`tls: ${(err as Error).message}; making a new certificate`);
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const san = o.san ?? subjectAltNames();
  const cnf = path.join(dir, 'openssl.cnf');
  const [certTmp, keyTmp] = [`${certFile}.tmp`, `${keyFile}.tmp`];
  await writeFile(cnf, opensslConfig(o.stationId, san), { mode: 0o600 });
  try {
    await run(o.openssl ?? 'openssl', [
      ...['req', '-x509', '-newkey', 'rsa:2048', '-sha256', '-nodes'],
      ...['-days', String(CERT_DAYS), '-config', cnf, '-keyout', keyTmp, '-out', certTmp],
    ]);
    await chmod(keyTmp, 0o600);
    // the key first: a crash between the renames leaves a pair that does not match, made anew next start
    await rename(keyTmp, keyFile);
    await rename(certTmp, certFile);
  } finally {
    await Promise.all([cnf, certTmp, keyTmp].map((f) => rm(f, { force: true })));
  }
  const tls = await load(certFile, keyFile, true);
  o.log.info(
    `tls: made a self-signed certificate for ${o.stationId} (${[...san.dns, ...san.ips].join(', ')}), ` +
      `valid to ${tls.validTo.toISOString().slice(0, 10)}, sha256 ${tls.fingerprint256}`,
  );
  return tls;
}
