// What `route-server run` is started with, and the part of it the side server shows.

import type { FleetOptions } from '../fleet/fleet-options.ts';
import type { RuntimeSettings } from '../http/runtime-view.ts';
import type { Logger } from '../model/logger.ts';
import type { RenderOptions } from '../render/options.ts';
import type { RenderSeams } from '../render/render.ts';
import type { DiscoveryOptions } from '../source/discovery.ts';

export interface RuntimeOptions {
  readonly render: RenderOptions;
  readonly discovery: DiscoveryOptions;
  readonly outDir: string;
  readonly filePrefix: string;
  readonly stateDir: string;
  readonly listen: { readonly host: string; readonly port: number };
  readonly logger: Logger;
  /** With `--fleet-redis`: the names this host's routers own are also published to the fleet edge. */
  readonly fleet?: FleetOptions;
  /** Test seam only: passed to every render (e.g. to make one daemon's render throw). */
  readonly renderSeams?: RenderSeams;
}

/** The settings /health, /routes.json and the status page report. */
export function settingsOf(options: RuntimeOptions): RuntimeSettings {
  return {
    baseDomain: options.render.baseDomain,
    autoRoutes: options.render.autoRoutes && options.render.baseDomain !== undefined,
    entrypoints: options.render.entrypoints,
    tcpRange: options.render.tcpRange,
    udpRange: options.render.udpRange,
    outDir: options.outDir,
    filePrefix: options.filePrefix,
    hostEntrypoints: options.render.hostEntrypoints?.names,
  };
}
