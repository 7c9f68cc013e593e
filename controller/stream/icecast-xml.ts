// The embedded Icecast's configuration file: low-latency limits (no burst), per-run passwords, station
// authentication by URL on every /relay/ and /live/ mount, and logs and pidfile under its own folder.

/** Mount families the controller serves; a listener on any of them must authenticate. */
export const MOUNT_PREFIXES = ['/relay/', '/live/'] as const;

export interface IcecastSettings {
  /** Address and port it listens on (127.0.0.1 in tests). */
  host: string;
  port: number;
  /** Folder for its log files and pidfile (must be writable by `runAs` when given). */
  logDir: string;
  sourcePassword: string;
  adminPassword: string;
  /**
   * The controller's listener check (POST, form-encoded, as Icecast sends it); null: mounts are open
   * (only for tests of the process itself).
   */
  authUrl: string | null;
  /** Icecast refuses to run as root: the user and group it changes to (Debian: icecast2, icecast). */
  runAs?: { user: string; group: string } | null;
  /** Simultaneous clients of every kind, listeners and sources (default 10,000). */
  clients?: number;
  /** Simultaneous sources (default 100: relays and live sessions). */
  sources?: number;
}

/** Queue a listener may fall behind by before Icecast drops it: ~16 s of 128 kb/s, ~2 min of 24 kb/s Opus. */
export const QUEUE_BYTES = 262_144;

const escapeXml = (s: string) =>
  s.replace(/[<>&'"]/g, (ch) => `&${{ '<': 'lt', '>': 'gt', '&': 'amp', "'": 'apos', '"': 'quot' }[ch]};`);

// allow_duplicate_users: Icecast's default (0) refuses a station whose last connection it has not yet
// seen drop (a 4G link gone dark): its reconnect must get in.
function mountBlock(prefix: string, authUrl: string | null): string {
  const auth = authUrl
    ? `
    <authentication type="url">
      <option name="listener_add" value="${escapeXml(authUrl)}"/>
      <option name="listener_remove" value="${escapeXml(authUrl)}"/>
      <option name="auth_header" value="icecast-auth-user: 1"/>
      <option name="allow_duplicate_users" value="1"/>
    </authentication>`
    : '';
  return `  <mount type="normal">
    <mount-name>${prefix}*</mount-name>
    <burst-size>0</burst-size>
    <public>0</public>
    <hidden>1</hidden>${auth}
  </mount>`;
}

export function icecastXml(s: IcecastSettings): string {
  const security = s.runAs
    ? `  <security>
    <chroot>0</chroot>
    <changeowner>
      <user>${escapeXml(s.runAs.user)}</user>
      <group>${escapeXml(s.runAs.group)}</group>
    </changeowner>
  </security>`
    : `  <security>
    <chroot>0</chroot>
  </security>`;
  return `<icecast>
  <location>Loa phuong</location>
  <admin>controller@localhost</admin>
  <hostname>${escapeXml(s.host)}</hostname>
  <limits>
    <clients>${s.clients ?? 10_000}</clients>
    <sources>${s.sources ?? 100}</sources>
    <queue-size>${QUEUE_BYTES}</queue-size>
    <client-timeout>30</client-timeout>
    <header-timeout>15</header-timeout>
    <source-timeout>10</source-timeout>
    <burst-on-connect>0</burst-on-connect>
    <burst-size>0</burst-size>
  </limits>
  <authentication>
    <source-password>${escapeXml(s.sourcePassword)}</source-password>
    <relay-password>${escapeXml(s.sourcePassword)}</relay-password>
    <admin-user>admin</admin-user>
    <admin-password>${escapeXml(s.adminPassword)}</admin-password>
  </authentication>
  <listen-socket>
    <port>${s.port}</port>
    <bind-address>${escapeXml(s.host)}</bind-address>
  </listen-socket>
${MOUNT_PREFIXES.map((p) => mountBlock(p, s.authUrl)).join('\n')}
  <fileserve>1</fileserve>
  <paths>
    <basedir>/usr/share/icecast2</basedir>
    <logdir>${escapeXml(s.logDir)}</logdir>
    <webroot>/usr/share/icecast2/web</webroot>
    <adminroot>/usr/share/icecast2/admin</adminroot>
    <pidfile>${escapeXml(s.logDir)}/icecast.pid</pidfile>
  </paths>
  <logging>
    <accesslog>access.log</accesslog>
    <errorlog>error.log</errorlog>
    <loglevel>2</loglevel>
    <logsize>10000</logsize>
    <logarchive>0</logarchive>
  </logging>
${security}
</icecast>
`;
}
