// The decisions of the broker-auth callback, pure: who a username is, which queues and topics it may use.
// The same station isolation as the embedded broker (controller/mqtt/broker.ts) and the Mosquitto ACL
// (controller/mqtt/broker-files.ts), spelled in RabbitMQ's terms (see index.ts for where they come from).
import { protocolTopics, TOPIC_ROOT, topicRoot } from '../../schedules/protocol.ts';

export type Protocol = 'v1' | 'v2';

/** What one province's controller answers for. */
export interface ProvinceRules {
  /** The province's topic level (`can-tho`); null: a v1-only controller without a province. */
  province: string | null;
  /** The protocol versions this controller speaks; its stations may use the roots of these. */
  protocols: readonly Protocol[];
  /** The controller's own MQTT username (`controller@<province>`, or MQTT_USERNAME without a province). */
  controllerUsername: string;
}

export type Identity = { kind: 'controller' } | { kind: 'station'; stationId: string; version: Protocol };

/** An id as a topic level: never `+`, `#`, `/`, `.`, `*` or `@`. */
const LEVEL = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const STATION_PREFIX = 'station-';

/**
 * Who a username is at this controller, or null: `<id>@<province>` is a v2 station of this province (if
 * it speaks v2), a bare `<id>` a v1 station (if it speaks v1); `controller@<province>` is the controller.
 */
export function identityOf(username: string, rules: ProvinceRules): Identity | null {
  if (username === rules.controllerUsername) return { kind: 'controller' };
  const at = username.indexOf('@');
  if (at < 0)
    return LEVEL.test(username) && rules.protocols.includes('v1')
      ? { kind: 'station', stationId: username, version: 'v1' }
      : null;
  const stationId = username.slice(0, at);
  const province = username.slice(at + 1);
  if (!LEVEL.test(stationId) || province !== rules.province || !rules.protocols.includes('v2')) return null;
  // `controller@<province>` is never a station, even if a station were given that id
  if (stationId === 'controller') return null;
  return { kind: 'station', stationId, version: 'v2' };
}

/** The province named by a username's `@<province>`, or null for a bare (v1) name. */
export function provinceOfUsername(username: string): string | null {
  const at = username.indexOf('@');
  return at < 0 ? null : username.slice(at + 1);
}

/** The client id a station connects with: `station-<username>` (edge-agent/link/link.ts). */
export const stationClientId = (username: string) => `${STATION_PREFIX}${username}`;

/** The station usernames a station id connects under where these rules hold: `<id>@<province>`, `<id>`. */
export function stationUsernames(
  stationId: string,
  rules: Pick<ProvinceRules, 'province' | 'protocols'>,
): string[] {
  const names: string[] = [];
  if (rules.province !== null && rules.protocols.includes('v2')) names.push(`${stationId}@${rules.province}`);
  if (rules.protocols.includes('v1')) names.push(stationId);
  return names;
}

/**
 * Whether this identity may connect under this client id: taking someone's id disconnects them, so a
 * station holds only its own and the controller only its own, except a station's that `cutOff` names
 * (one whose credentials just changed: the controller takes its id to close its open connection at
 * whichever node).
 */
export function mayHoldClientId(
  who: Identity,
  username: string,
  clientId: string,
  cutOff: (stationUsername: string) => boolean = () => false,
): boolean {
  if (who.kind === 'station') return clientId === stationClientId(username);
  if (!clientId.startsWith(STATION_PREFIX)) return clientId.length > 0;
  return cutOff(clientId.slice(STATION_PREFIX.length));
}

/** The roots an identity may use: a v2 station its province's (and v1 where still spoken), a v1 station v1. */
export function rootsOf(who: Identity, rules: ProvinceRules): string[] {
  const roots: string[] = [];
  const v2 = rules.province !== null && rules.protocols.includes('v2');
  if (v2 && (who.kind === 'controller' || who.version === 'v2')) roots.push(topicRoot(rules.province));
  if (rules.protocols.includes('v1')) roots.push(TOPIC_ROOT);
  return roots;
}

/** RabbitMQ's MQTT queue names (rabbit_mqtt_util): `mqtt-subscription-<client id>qos0` and `qos1`. */
const QUEUE = /^mqtt-subscription-(.+)qos[01]$/;
const EXCHANGE = 'amq.topic';

/**
 * A resource check: the MQTT plugin's exchange (read, write; never configure) and the identity's own
 * subscription queues (configure, read, write). Everything else, refused.
 */
export function mayUseResource(
  who: Identity,
  username: string,
  resource: string,
  name: string,
  permission: string,
): boolean {
  if (resource === 'exchange') return name === EXCHANGE && (permission === 'read' || permission === 'write');
  if (resource !== 'queue' || !['configure', 'read', 'write'].includes(permission)) return false;
  const m = QUEUE.exec(name);
  return !!m && mayHoldClientId(who, username, m[1] as string);
}

/**
 * The MQTT topic of a routing key (the plugin turns `/` into `.` and `+` into `*`; `#` stays). Our levels
 * never hold `.` or `*`, so the way back is exact for every topic a rule could allow.
 */
export const mqttTopicOf = (routingKey: string) => routingKey.replaceAll('.', '/').replaceAll('*', '+');

const STATION_READS = ['desired', 'asRunAck'] as const;
const STATION_WRITES = [
  'presence',
  'health',
  'asRun',
  'alertStatus',
  'overrides',
  'position',
  'hello',
] as const;

/** A station's place, for the bulletin filters of its area chain; undefined: not known here. */
export type StationPlace = { id: string; areaPath: string[] };

/**
 * A topic check. The controller reads and writes anything under its roots (a filter included). A station
 * reads its own desired state and acks, the roll call and the bulletin filters of its chain, exactly as
 * the agent subscribes to them; it writes only its own reports. Wildcards are matched as text, never
 * expanded: `loa/#` or `loa/v2/+/station/+/desired` is no station's topic, and no root's.
 */
export function mayUseTopic(
  who: Identity,
  roots: readonly string[],
  permission: string,
  topic: string,
  place: () => StationPlace | undefined,
): boolean {
  if (permission !== 'read' && permission !== 'write') return false;
  if (who.kind === 'controller') return roots.some((r) => topic.startsWith(`${r}/`));
  for (const root of roots) {
    const t = protocolTopics(root);
    const own = permission === 'read' ? STATION_READS : STATION_WRITES;
    if (own.some((kind) => t[kind](who.stationId) === topic)) return true;
    if (permission === 'read' && topic === t.rollCall) return true;
  }
  if (permission !== 'read' || !topic.endsWith('/+')) return false;
  const st = place();
  return !!st && roots.some((root) => protocolTopics(root).alertFilters(st).includes(topic));
}

/** A check after the login: what RabbitMQ sends, as the callback receives it. */
export interface AccessCheck {
  path: 'vhost' | 'resource' | 'topic';
  username: string;
  vhost: string;
  resource?: string;
  name?: string;
  permission?: string;
  routing_key?: string;
}

/**
 * A vhost, resource or topic check by the rules alone, for an identity already known. `place` is asked only
 * for a bulletin filter (a topic read ending in `/+`), the one answer that needs the province's data.
 */
export function mayAccess(
  who: Identity,
  rules: ProvinceRules,
  c: AccessCheck,
  place: () => StationPlace | undefined,
): boolean {
  if (c.vhost !== '/') return false;
  if (c.path === 'vhost') return true;
  const permission = c.permission ?? '';
  if (c.path === 'resource')
    return mayUseResource(who, c.username, c.resource ?? '', c.name ?? '', permission);
  if (c.resource !== 'topic' || c.name !== 'amq.topic') return false;
  return mayUseTopic(who, rootsOf(who, rules), permission, mqttTopicOf(c.routing_key ?? ''), place);
}
