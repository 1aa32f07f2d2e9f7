// Every command-line option in one table: its type, default, which commands take it, and its help.
// Each option is also the environment variable ROUTE_SERVER_<NAME> and a key of the --config file.

export type OptionKind = 'string' | 'boolean' | 'list' | 'repeat' | 'duration';

export type Command = 'run' | 'render' | 'snapshot' | 'static';

export interface OptionSpec {
  readonly name: string;
  readonly kind: OptionKind;
  readonly commands: readonly Command[];
  readonly help: string;
  /** Shown in help; the real default lives with the code that uses it. */
  readonly defaultText?: string;
  readonly metavar?: string;
}

const DISCOVER: readonly Command[] = ['run', 'snapshot'];
const RENDER: readonly Command[] = ['run', 'render'];
/** Infra options: `static` writes Traefik's configuration from them, `run`/`render` check routers against it. */
const INFRA: readonly Command[] = ['run', 'render', 'static'];

export const OPTIONS = [
  { name: 'config', kind: 'string', commands: ['run', 'render', 'snapshot', 'static'], metavar: 'FILE', help: 'YAML file whose keys are these option names' },
  { name: 'sockets', kind: 'string', commands: DISCOVER, metavar: 'GLOB', defaultText: '/var/run/rediacc/docker-*.sock', help: 'Docker sockets to watch; the * is the network id' },
  { name: 'docker-host', kind: 'repeat', commands: DISCOVER, metavar: 'ID=URL', help: 'an explicit daemon: unix:///path.sock or tcp://host:port (repeatable)' },
  { name: 'out', kind: 'string', commands: ['run', 'render', 'static'], metavar: 'DIR', defaultText: '/etc/traefik/dynamic, else ./out', help: 'directory of the Traefik file provider' },
  { name: 'file-prefix', kind: 'string', commands: ['run', 'render'], defaultText: 'rs-', help: 'fragments are {prefix}{networkId}.yml; other files are never touched' },
  { name: 'state-dir', kind: 'string', commands: ['run'], metavar: 'DIR', defaultText: '/var/lib/route-server, else ./state', help: 'where port allocations are kept' },
  { name: 'listen', kind: 'string', commands: ['run', 'static'], metavar: 'HOST:PORT', defaultText: '127.0.0.1:7111', help: 'side HTTP server (/health, /routes.json, /ports, /metrics)' },
  { name: 'base-domain', kind: 'string', commands: [...RENDER, 'static'], metavar: 'DOMAIN', help: 'auto-routes are {service}-{networkId}.DOMAIN' },
  { name: 'entrypoints', kind: 'list', commands: RENDER, metavar: 'LIST', defaultText: 'websecure,websecure-v6', help: 'entrypoints of auto-routes and of HTTP routers that name none' },
  { name: 'cert-resolver', kind: 'string', commands: RENDER, defaultText: 'letsencrypt', help: "auto-routes' certificate resolver ('' for no TLS block)" },
  { name: 'no-wildcard-cert', kind: 'boolean', commands: RENDER, help: "one certificate per host instead of a shared *.DOMAIN one (for a resolver without DNS-01)" },
  { name: 'max-certs-per-daemon', kind: 'string', commands: RENDER, metavar: 'N', defaultText: '20', help: "certificates one daemon's routers may request beyond the shared wildcard" },
  { name: 'no-auto-routes', kind: 'boolean', commands: RENDER, help: 'no routes for containers without traefik.enable=true' },
  { name: 'exposed-by-default', kind: 'boolean', commands: RENDER, help: "route containers without traefik.enable, as Traefik's exposedByDefault" },
  { name: 'default-rule', kind: 'string', commands: RENDER, metavar: 'TEMPLATE', defaultText: 'the auto-route host', help: 'rule of routers without one, e.g. Host(`{{ normalize .Name }}.example.com`)' },
  { name: 'allow-ref', kind: 'repeat', commands: RENDER, metavar: 'NAME', help: 'a name outside the tenant its routers may use, e.g. secure-headers@file (repeatable)' },
  { name: 'allow-backend', kind: 'repeat', commands: RENDER, metavar: 'CIDR|NAME', help: 'an address range, host name or *.domain every tenant may send traffic to (repeatable)' },
  { name: 'allow-plugin', kind: 'repeat', commands: RENDER, metavar: 'NAME', help: "a Traefik plugin tenants' middlewares may use, its settings unchecked (repeatable)" },
  { name: 'allow-file-dir', kind: 'repeat', commands: RENDER, metavar: 'DIR', help: "a directory whose files tenants' middlewares may name (usersFile, TLS ca/cert/key); {id} is the tenant's id (repeatable)" },
  { name: 'allow-unbounded-rules', kind: 'boolean', commands: RENDER, help: 'accept rules that are not bound to literal hosts (single-tenant hosts)' },
  { name: 'max-ports-per-daemon', kind: 'string', commands: RENDER, metavar: 'N', defaultText: '4', help: "ports of --tcp-range (and of --udp-range) one daemon's routers may hold" },
  { name: 'tcp-range', kind: 'string', commands: INFRA, metavar: 'FIRST-LAST', defaultText: '10000-10010', help: 'ports for TCP routers without entrypoints' },
  { name: 'udp-range', kind: 'string', commands: INFRA, metavar: 'FIRST-LAST', defaultText: 'none', help: 'ports for UDP routers without entrypoints' },
  { name: 'resync-interval', kind: 'duration', commands: DISCOVER, defaultText: '60s', help: 'resync of every daemon: a list, and an inspect of what it shows changed (0 turns it off)' },
  { name: 'debounce-min', kind: 'duration', commands: ['run'], defaultText: '20ms', help: 'a daemon must be quiet this long before its fragment is written' },
  { name: 'debounce-max', kind: 'duration', commands: ['run'], defaultText: '4s', help: 'no change waits longer than this; in a burst a daemon waits for half of it of quiet' },
  { name: 'public-ipv4', kind: 'string', commands: INFRA, metavar: 'ADDRESS', help: 'websecure, web and every TCP/UDP entrypoint listen here; with it, run knows the entrypoints of this host' },
  { name: 'public-ipv6', kind: 'string', commands: INFRA, metavar: 'ADDRESS', defaultText: 'none (no websecure-v6)', help: 'websecure-v6 and web-v6 listen here' },
  { name: 'tcp-ports', kind: 'list', commands: INFRA, metavar: 'LIST', help: 'TCP entrypoints tcp-{port} beside 3306, 5432, 6379, 27017, 11211, 5672, 9092 and --tcp-range' },
  { name: 'udp-ports', kind: 'list', commands: INFRA, metavar: 'LIST', help: 'UDP entrypoints udp-{port} beside 53 and --udp-range' },
  { name: 'cert-email', kind: 'string', commands: ['static'], metavar: 'EMAIL', help: "Let's Encrypt account of the letsencrypt resolver" },
  { name: 'out-dir', kind: 'string', commands: ['static'], metavar: 'DIR', defaultText: '--out, else /etc/traefik/dynamic', help: "the file provider's directory as Traefik sees it" },
  { name: 'delivery', kind: 'string', commands: ['static'], defaultText: 'file', help: "file (Traefik watches --out-dir) or http (Traefik polls route-server's /traefik.yml)" },
  { name: 'fleet-redis', kind: 'string', commands: ['run', 'static'], metavar: 'URL', help: 'the fleet edge\'s Redis: redis://[user:pass@]host:port[/db], rediss:// for TLS, redis-sentinel://[user:pass@]host:port,…/master[/db]' },
  { name: 'fleet-name', kind: 'string', commands: ['run'], metavar: 'NAME', help: 'this host in the fleet (lower-case letters, digits, -; unique in the fleet)' },
  { name: 'fleet-address', kind: 'string', commands: ['run'], metavar: 'ADDRESS', help: "where the edge reaches this host's Traefik (port 443 is added)" },
  { name: 'fleet-entrypoint', kind: 'string', commands: ['run', 'static'], defaultText: 'websecure', help: "the edge's entrypoint the published TCP routers are on" },
  { name: 'fleet-root-key', kind: 'string', commands: ['run', 'static'], defaultText: 'traefik', help: "root key of the edge Traefik's Redis provider" },
  { name: 'fleet-lease', kind: 'duration', commands: ['run'], defaultText: '6s', help: "how long this host's claims outlive it when it stops renewing them" },
  { name: 'edge', kind: 'boolean', commands: ['static'], help: "print the fleet edge's static configuration (needs --fleet-redis) instead of this host's" },
  { name: 'log-level', kind: 'string', commands: ['run', 'render', 'snapshot', 'static'], defaultText: 'info', help: 'debug, info, warn or error' },
  { name: 'snapshot', kind: 'string', commands: ['render'], metavar: 'FILE', help: "snapshot JSON to render ('-' for stdin)" },
  { name: 'format', kind: 'string', commands: ['render'], defaultText: 'yaml', help: 'yaml or json' },
] as const satisfies readonly OptionSpec[];

export type OptionName = (typeof OPTIONS)[number]['name'];

interface KindValues {
  readonly string: string;
  readonly boolean: boolean;
  readonly list: readonly string[];
  readonly repeat: readonly string[];
  readonly duration: number;
}

/** The parsed type of an option: a misspelt name or a wrong type is a compile error. */
export type OptionType<N extends OptionName> = KindValues[Extract<(typeof OPTIONS)[number], { readonly name: N }>['kind']];

export function optionsFor(command: Command): OptionSpec[] {
  return (OPTIONS as readonly OptionSpec[]).filter((option) => option.commands.includes(command));
}

export function envName(option: string): string {
  return `ROUTE_SERVER_${option.toUpperCase().replace(/-/g, '_')}`;
}
