// Whether a node's MQTT side listens, and whether it takes logins: one MQTT 3.1.1 CONNECT, anonymous or with
// the cluster's internal user, and the CONNACK's return code. A login goes through the MQTT plugin's
// client-id registry (a Raft cluster across the nodes on 3.10), which refuses it ('server unavailable', 3,
// or a closed connection) until it has formed, although the port answers and an anonymous CONNECT is
// refused earlier (not authorised) without reaching it: only an accepted login shows the node ready (CI met
// a test's first client refused with 3 after an anonymous probe had passed).
import { connect } from 'node:net';
import { encodeConnect } from '../mqtt/wire.ts';

type Login = { username: string; password: string };

/**
 * The CONNACK return code 127.0.0.1:port answers `login` with within `timeoutMs` (0: accepted, 3: server
 * unavailable, 5: not authorised, …), or null: no CONNACK (nothing listening yet, no answer in time, or
 * the connection closed: 3.10 crashes a login whose registration times out). `login` null: anonymous,
 * refused before the registry, so any code says the listener is up.
 */
export function connackCode(port: number, login: Login | null, timeoutMs = 2000): Promise<number | null> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (answer: number | null) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    socket.on('connect', () =>
      socket.write(
        encodeConnect({ clientId: `probe-${process.pid}-${port}`, keepalive: 10, ...(login ?? {}) }),
      ),
    );
    socket.on('data', (d) => done(d[0] === 0x20 && d.length >= 4 ? (d[3] as number) : null));
    socket.on('error', () => done(null));
    socket.on('close', () => done(null));
  });
}
