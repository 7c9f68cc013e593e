// The agent's own MQTT transport for mqtt:// and mqtts:// URLs, as mqtt.js's tcp and tls builders make it.
// mqtt.connect() loads every transport at its first connection, the WebSocket one (the `ws` package and
// zlib) included: about 2 MB of a Pi Zero's memory for a transport the station never uses (measured in
// test/bench/RESULTS.md, agent-footprint). ws:// and wss:// URLs still go through mqtt.connect().
import net from 'node:net';
import tls from 'node:tls';
import type { MqttClient } from 'mqtt';

type Stream = net.Socket;

/** A stream builder for `url`, or null when mqtt.connect() must make the transport (ws, wss). */
export function mqttStream(url: string): ((client: MqttClient) => Stream) | null {
  const u = new URL(url);
  const host = u.hostname.replace(/^\[|\]$/g, '') || 'localhost';
  const scheme = u.protocol.replace(/:$/, '');
  if (scheme === 'mqtt' || scheme === 'tcp') {
    const port = Number(u.port) || 1883;
    return () => net.createConnection({ host, port });
  }
  if (scheme === 'mqtts' || scheme === 'tls') {
    const port = Number(u.port) || 8883;
    return (client) => {
      // As mqtt.js's tls builder: the server's certificate is checked against the name in the URL, and a
      // TLS failure before the handshake ends is the client's error (logged, then the link reconnects).
      const socket = tls.connect({
        host,
        port,
        servername: net.isIP(host) === 0 ? host : undefined,
        rejectUnauthorized: true,
      });
      const failed = (err: Error) => {
        client.emit('error', err);
        socket.end();
      };
      socket.on('error', failed);
      socket.on('secureConnect', () => {
        if (!socket.authorized) socket.emit('error', new Error('TLS not authorized'));
        else socket.removeListener('error', failed);
      });
      return socket;
    };
  }
  return null;
}
