// `route-server run` as a real child process for end-to-end tests: started in its own process
// group, its JSON log lines collected, its HTTP address read from the log, stopped by pid.

import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { runNodeFlags } from './node-flags.ts';
import { waitFor } from './wait.ts';

const BIN = fileURLToPath(new URL('../../bin/route-server.js', import.meta.url));

export interface LogLine {
  readonly level: string;
  readonly msg: string;
  readonly [key: string]: unknown;
}

export class RouteServerProcess {
  readonly logs: LogLine[] = [];
  readonly #child: ChildProcess;
  readonly #exited: Promise<number | null>;
  #stderr = '';

  private constructor(args: readonly string[], env: NodeJS.ProcessEnv, nodeArgs: readonly string[]) {
    this.#child = spawn(process.execPath, [...runNodeFlags(), ...nodeArgs, BIN, 'run', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
    this.#child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr += chunk;
      let newline: number;
      while ((newline = this.#stderr.indexOf('\n')) >= 0) {
        const line = this.#stderr.slice(0, newline);
        this.#stderr = this.#stderr.slice(newline + 1);
        try {
          this.logs.push(JSON.parse(line) as LogLine);
        } catch {
          this.logs.push({ level: 'raw', msg: line });
        }
      }
    });
    this.#exited = once(this.#child, 'exit').then(([code]) => code as number | null);
  }

  /**
   * Starts `route-server run` with node's flags from `npm start`, and waits until its side server
   * listens; `nodeArgs` go to node after them (e.g. --cpu-prof).
   */
  static async start(args: readonly string[], env: NodeJS.ProcessEnv = {}, nodeArgs: readonly string[] = []): Promise<RouteServerProcess> {
    const process_ = new RouteServerProcess(['--listen', '127.0.0.1:0', '--log-level', 'debug', ...args], env, nodeArgs);
    await waitFor(() => process_.address() ?? (process_.#child.exitCode !== null ? Promise.reject(new Error(`exited: ${process_.tail()}`)) : undefined), {
      what: 'route-server to listen',
      timeoutMs: 30_000,
    });
    return process_;
  }

  get pid(): number {
    return this.#child.pid as number;
  }

  address(): string | undefined {
    const line = this.logs.find((l) => l.msg === 'side HTTP server listening');
    return typeof line?.['address'] === 'string' ? line['address'] : undefined;
  }

  url(path: string): string {
    return `http://${this.address()}${path}`;
  }

  async getJson(path: string): Promise<{ status: number; type: string | null; body: any }> {
    const response = await fetch(this.url(path));
    return { status: response.status, type: response.headers.get('content-type'), body: await response.json() };
  }

  logged(message: string): boolean {
    return this.logs.some((l) => l.msg === message);
  }

  tail(lines = 20): string {
    return this.logs
      .slice(-lines)
      .map((l) => JSON.stringify(l))
      .join('\n');
  }

  kill(signal: NodeJS.Signals): void {
    if (this.#child.exitCode === null && this.#child.signalCode === null) process.kill(this.pid, signal);
  }

  /** SIGTERM and wait for a clean exit; returns the exit code. */
  async stop(): Promise<number | null> {
    this.kill('SIGTERM');
    return this.#exited;
  }

  exited(): Promise<number | null> {
    return this.#exited;
  }
}
