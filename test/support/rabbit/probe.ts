// Whether an MQTT listener answers: one MQTT 3.1.1 CONNECT without credentials, and any CONNACK back
// (a refusal of the login too, but not 'server unavailable') means the broker's MQTT side is up, whatever its authentication backend.
import { connect } from 'node:net';

function connectPacket(clientId: string): Buffer {
  const id = Buffer.from(clientId);
  const variable = Buffer.from([0, 4, 0x4d, 0x51, 0x54, 0x54, 4, 0x02, 0, 10]);
  const payload = Buffer.concat([Buffer.from([id.length >> 8, id.length & 0xff]), id]);
  const remaining = variable.length + payload.length; // < 128: one length byte
  return Buffer.concat([Buffer.from([0x10, remaining]), variable, payload]);
}

/** Resolves true when 127.0.0.1:port answers a CONNECT with a CONNACK within `timeoutMs`. */
export function mqttAnswers(port: number, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const done = (answer: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    socket.on('connect', () => socket.write(connectPacket(`probe-${process.pid}-${port}`)));
    // return code 3 is 'server unavailable': the MQTT plugin is not ready yet (its client-id registry)
    socket.on('data', (d) => done(d[0] === 0x20 && d.length >= 4 && d[3] !== 3));
    socket.on('error', () => done(false));
    socket.on('close', () => done(false));
  });
}
