// A source connection to Icecast by HTTP PUT (Icecast 2.4.0 and later), opened by the controller itself
// so its password never appears on a command line (ffmpeg's icecast:// URL would show it to `ps`).
import { connect, type Socket } from 'node:net';

export interface SourceLogin {
  host: string;
  port: number;
  user: string;
  password: string;
}

/**
 * Opens `mount` as a source; resolves with the socket to write the stream to once Icecast accepted it,
 * rejects with Icecast's status line when it refused (a wrong password, a mount already in use).
 */
export function openSource(
  login: SourceLogin,
  mount: string,
  contentType = 'application/ogg',
  timeoutMs = 5000,
): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(login.port, login.host);
    let head = '';
    const fail = (e: Error) => {
      socket.destroy();
      reject(e);
    };
    socket.setTimeout(timeoutMs, () =>
      fail(new Error(`icecast did not answer the source PUT in ${timeoutMs} ms`)),
    );
    socket.once('error', fail);
    socket.once('connect', () => {
      const auth = Buffer.from(`${login.user}:${login.password}`).toString('base64');
      socket.write(
        [
          `PUT ${mount} HTTP/1.1`,
          `Host: ${login.host}:${login.port}`,
          `Authorization: Basic ${auth}`,
          `Content-Type: ${contentType}`,
          'Ice-Public: 0',
          'User-Agent: loa-phuong-controller',
          '',
          '',
        ].join('\r\n'),
      );
    });
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) {
        if (head.length > 8192) fail(new Error('icecast answered the source PUT with endless headers'));
        return;
      }
      socket.off('data', onData);
      socket.off('error', fail);
      socket.setTimeout(0);
      const status = head.slice(0, head.indexOf('\r\n'));
      if (!/^HTTP\/1\.[01] 200/.test(status)) return fail(new Error(`icecast refused the source: ${status}`));
      // Icecast sends nothing more on a source connection; what it might is read and dropped
      socket.on('data', () => {});
      resolve(socket);
    };
    socket.on('data', onData);
  });
}
