// Polls /health of a running route-server while a fault runs and keeps what it said, so a test can
// ask afterwards whether it told the truth at the time (a daemon reconnecting, the output failing).

export interface HealthSample {
  readonly at: number;
  /** undefined when the side server did not answer (route-server down). */
  readonly body: any;
}

export class HealthRecorder {
  readonly samples: HealthSample[] = [];
  #url: () => string;
  #running = false;
  #loop: Promise<void> = Promise.resolve();

  constructor(url: () => string) {
    this.#url = url;
  }

  start(intervalMs = 100): void {
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        let body: any;
        try {
          const response = await fetch(this.#url(), { signal: AbortSignal.timeout(2_000) });
          body = await response.json();
        } catch {
          body = undefined;
        }
        this.samples.push({ at: Date.now(), body });
        await new Promise((resolve) => setTimeout(resolve, intervalMs));
      }
    })();
  }

  async stop(): Promise<void> {
    this.#running = false;
    await this.#loop;
  }

  /** Samples since `from` in which `predicate` held. */
  since(from: number, predicate: (body: any) => boolean): HealthSample[] {
    return this.samples.filter((s) => s.at >= from && s.body !== undefined && predicate(s.body));
  }
}

/** The daemon entry of a /health body. */
export function daemonIn(body: any, id: string): any {
  return (body?.daemons ?? []).find((d: any) => d.id === id);
}
