// Render options from parsed arguments, validated once with exact messages: `run` and `render`
// share this, so an option means the same thing in both.

import { compileDefaultRule } from '../render/default-rule.ts';
import {
  DEFAULT_RENDER_OPTIONS,
  parseAllowBackends,
  parseAllowFileDirs,
  parseAllowPlugins,
  parseBaseDomain,
  parseCertLimit,
  parsePortRange,
  type RenderOptions,
} from '../render/options.ts';
import { parseStrictIp } from '../model/addresses.ts';
import type { Snapshot } from '../model/snapshot.ts';
import { infraOptionsFrom, knownEntrypoints } from './infra-options.ts';
import { UsageError, type ParsedArgs } from './parse-args.ts';

/** For `render`, the snapshot is the configuration: its named daemons are the configured ones. */
export function withSnapshotDaemons(options: RenderOptions, snapshot: Snapshot): RenderOptions {
  return { ...options, reservedDaemonIds: snapshot.daemons.map((daemon) => daemon.id).filter((id) => !/^[0-9]+$/.test(id)) };
}

export function renderOptionsFrom(args: ParsedArgs): RenderOptions {
  const domain = parseBaseDomain(args.get('base-domain') ?? '');
  if (!domain.ok) throw new UsageError(domain.error);
  const backends = parseAllowBackends(args.get('allow-backend') ?? []);
  if (!backends.ok) throw new UsageError(backends.error);
  const plugins = parseAllowPlugins(args.get('allow-plugin') ?? []);
  if (!plugins.ok) throw new UsageError(plugins.error);
  const fileDirs = parseAllowFileDirs(args.get('allow-file-dir') ?? []);
  if (!fileDirs.ok) throw new UsageError(fileDirs.error);
  const tcpRangeText = args.get('tcp-range');
  const tcpRange = tcpRangeText === undefined ? { ok: true as const, value: DEFAULT_RENDER_OPTIONS.tcpRange } : parsePortRange(tcpRangeText, '--tcp-range');
  if (!tcpRange.ok) throw new UsageError(tcpRange.error);
  const udpRangeText = args.get('udp-range');
  const udpRange = udpRangeText === undefined || udpRangeText === '' || udpRangeText === 'none' ? undefined : parsePortRange(udpRangeText, '--udp-range');
  if (udpRange && !udpRange.ok) throw new UsageError(udpRange.error);
  const defaultRule = args.get('default-rule');
  if (defaultRule !== undefined) {
    const compiled = compileDefaultRule(defaultRule);
    if (!compiled.ok) throw new UsageError(`Expected \`--default-rule\` to be a rule template: ${compiled.error}`);
  }
  const infra = infraOptionsFrom(args);
  const hostEntrypoints = knownEntrypoints(infra);
  // Without --public-ipv6 the host has no websecure-v6: the default then names only what exists.
  const defaultEntrypoints = DEFAULT_RENDER_OPTIONS.entrypoints.filter((ep) => !hostEntrypoints || hostEntrypoints.names.includes(ep));
  const entrypoints = args.get('entrypoints') ?? defaultEntrypoints;
  for (const ep of entrypoints) {
    if (!/^[A-Za-z0-9._-]+$/.test(ep)) throw new UsageError(`Expected \`--entrypoints\` to be entrypoint names, got ${JSON.stringify(ep)}`);
    // They are taken for HTTP entrypoints: an HTTP router with TLS on a TCP entrypoint hangs the server-first services there.
    if (/^(tcp|udp)-/i.test(ep)) throw new UsageError(`Expected \`--entrypoints\` to name HTTP entrypoints, got the ${ep.slice(0, 3).toUpperCase()} entrypoint ${JSON.stringify(ep)}`);
  }
  const allowRefs = args.get('allow-ref') ?? [];
  for (const ref of allowRefs) {
    if (!/^[^@\s]+(@[A-Za-z0-9_-]+)?$/.test(ref)) throw new UsageError(`Expected \`--allow-ref\` to be a name like secure-headers@file, got ${JSON.stringify(ref)}`);
  }
  const certLimitText = args.get('max-certs-per-daemon');
  const certLimit = certLimitText === undefined ? { ok: true as const, value: DEFAULT_RENDER_OPTIONS.maxCertsPerDaemon } : parseCertLimit(certLimitText, '--max-certs-per-daemon');
  if (!certLimit.ok) throw new UsageError(certLimit.error);
  const portLimitText = args.get('max-ports-per-daemon');
  const portLimit = portLimitText === undefined ? { ok: true as const, value: DEFAULT_RENDER_OPTIONS.maxPortsPerDaemon } : parseCertLimit(portLimitText, '--max-ports-per-daemon');
  if (!portLimit.ok) throw new UsageError(portLimit.error);
  return {
    ...DEFAULT_RENDER_OPTIONS,
    baseDomain: domain.value,
    entrypoints: [...entrypoints],
    certResolver: args.get('cert-resolver') ?? DEFAULT_RENDER_OPTIONS.certResolver,
    autoRoutes: args.get('no-auto-routes') !== true,
    exposedByDefault: args.get('exposed-by-default') === true,
    defaultRule,
    allowRefs: [...allowRefs],
    allowBackends: backends.value,
    hostAddresses: [infra.publicIpv4, infra.publicIpv6].flatMap((text) => {
      const ip = text === undefined ? undefined : parseStrictIp(text);
      return ip ? [ip] : [];
    }),
    allowPlugins: plugins.value,
    allowFileDirs: fileDirs.value,
    allowUnboundedRules: args.get('allow-unbounded-rules') === true,
    tcpRange: tcpRange.value,
    udpRange: udpRange?.ok ? udpRange.value : undefined,
    hostEntrypoints,
    wildcardCert: args.get('no-wildcard-cert') !== true,
    maxCertsPerDaemon: certLimit.value,
    maxPortsPerDaemon: portLimit.value,
  };
}
