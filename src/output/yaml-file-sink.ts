// The file sink: one YAML fragment per daemon in Traefik's file-provider directory, through the
// FragmentWriter (atomic, only on change, restores hand edits). Serializing is the costly part of a
// render, so a fragment equal to the one last set reuses its bytes.

import { EventEmitter } from 'node:events';
import type { Logger } from '../model/logger.ts';
import type { Fragment } from '../render/render.ts';
import { serializeFragment } from '../render/yaml.ts';
import { configEqual, type ConfigObject } from '../traefik/config.ts';
import { FragmentWriter, type WriterStatus } from '../write/fragment-writer.ts';
import { isFailing, type FragmentSink, type SinkEvents, type SinkStatus } from './fragment-sink.ts';

export interface YamlFileSinkOptions {
  readonly dir: string;
  readonly prefix: string;
  /** Written into each fragment's header comment, e.g. `route-server 0.1.0`. */
  readonly generator: string;
  readonly logger: Logger;
  /** Watch the directory and put back hand edits (default true; `render --out` writes once). */
  readonly watch?: boolean;
}

export class YamlFileSink extends EventEmitter<SinkEvents> implements FragmentSink {
  readonly #writer: FragmentWriter;
  readonly #generator: string;
  readonly #texts = new Map<string, { config: ConfigObject; socket: string; text: string }>();

  constructor(options: YamlFileSinkOptions) {
    super();
    this.#generator = options.generator;
    this.#writer = new FragmentWriter({ dir: options.dir, prefix: options.prefix, logger: options.logger, watch: options.watch ?? true });
    this.#writer.on('write', (daemon) => this.emit('delivered', daemon));
    this.#writer.on('failed', (daemon, error) => this.emit('failed', daemon, error));
  }

  start(): Promise<string[]> {
    return this.#writer.start();
  }

  set(daemon: string, fragment: Fragment | null): Promise<void> {
    return this.#writer.set(daemon, this.#text(daemon, fragment));
  }

  status(): SinkStatus {
    return fileSinkStatus(this.#writer.status());
  }

  stop(): Promise<void> {
    return this.#writer.stop();
  }

  #text(daemon: string, fragment: Fragment | null): string | null {
    if (fragment === null) {
      this.#texts.delete(daemon);
      return null;
    }
    const cached = this.#texts.get(daemon);
    if (cached && cached.socket === fragment.socket && configEqual(cached.config, fragment.config)) return cached.text;
    const text = serializeFragment(fragment.config, { daemon: fragment.daemon, socket: fragment.socket, generator: this.#generator });
    this.#texts.set(daemon, { config: fragment.config, socket: fragment.socket, text });
    return text;
  }
}

/** The writer's report as a sink status (the file details ride along for /health's `output`). */
export function fileSinkStatus(files: WriterStatus): SinkStatus {
  return {
    kind: 'files',
    target: files.dir,
    failing: isFailing(files.lastWriteAt, files.lastErrorAt),
    lastDeliveredAt: files.lastWriteAt,
    lastError: files.lastError,
    lastErrorAt: files.lastErrorAt,
    delivered: files.writes,
    errors: files.writeErrors,
    pending: files.files.filter((file) => file.pending).map((file) => file.daemon),
    failingDaemons: files.files.flatMap((file) => (file.lastError === null ? [] : [{ daemon: file.daemon, error: file.lastError }])),
    files,
  };
}
