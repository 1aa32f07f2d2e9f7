// The Docker API over a daemon's unix socket, for tests that make thousands of changes: one HTTP
// request per start or stop instead of a docker CLI process each (the CLI costs ~100 ms a call).

import http from 'node:http';

export interface ApiReply {
  readonly status: number;
  readonly body: string;
}

export function dockerApi(socket: string, method: string, path: string, body?: unknown, timeoutMs = 60_000): Promise<ApiReply> {
  return new Promise((done, fail) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const request = http.request(
      { socketPath: socket, method, path, timeout: timeoutMs, headers: payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } },
      (response) => {
        let text = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        response.on('end', () => done({ status: response.statusCode ?? 0, body: text }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`${method} ${path}: timed out after ${timeoutMs} ms`)));
    request.on('error', fail);
    request.end(payload);
  });
}

/** POST /containers/NAME/start|stop; 204 done, 304 already so. Anything else throws. */
export async function containerAction(socket: string, name: string, action: 'start' | 'stop'): Promise<void> {
  const reply = await dockerApi(socket, 'POST', `/containers/${encodeURIComponent(name)}/${action}${action === 'stop' ? '?t=0' : ''}`);
  if (reply.status !== 204 && reply.status !== 304) throw new Error(`${action} ${name} on ${socket}: HTTP ${reply.status} ${reply.body.trim()}`);
}

/** Names of the running containers, as the daemon sees them now. */
export async function runningNames(socket: string): Promise<string[]> {
  const reply = await dockerApi(socket, 'GET', '/containers/json', undefined, 10_000);
  if (reply.status !== 200) throw new Error(`GET /containers/json on ${socket}: HTTP ${reply.status}`);
  const list = JSON.parse(reply.body) as { Names: string[] }[];
  return list.map((c) => (c.Names[0] ?? '').replace(/^\//, '')).sort();
}
