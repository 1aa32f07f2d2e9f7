// `route-server static`: prints Traefik's static configuration for this host (traefik.yml) from the
// infra options, the part the original product's `push-infra` did. Exit 2 names any bad value.

import { isAbsolute } from 'node:path';
import { parseBaseDomain } from '../render/options.ts';
import { serializeUntemplated } from '../render/yaml.ts';
import { buildStaticConfig, type Delivery } from '../traefik/static-config.ts';
import { infraOptionsFrom } from './infra-options.ts';
import { UsageError, type ParsedArgs } from './parse-args.ts';
import type { CommandIo } from './render-command.ts';
import { parseListen } from './run-command.ts';
import { SYSTEM_OUT_DIR } from './run-paths.ts';
import { GENERATOR } from './version.ts';

// Traefik reads its static configuration with no Go template pass (only file-provider files get
// one), so this document is written without template escaping.
const HEADER = (ipv4: string, generator: string) => `Traefik static configuration for ${ipv4}, written by ${generator} (route-server static).
The Cloudflare DNS-01 token is not in this file: give Traefik the environment variable
CF_DNS_API_TOKEN (a token with Zone:DNS:Edit). Traefik reads this file once: restart it after a change.`;

export async function staticCommand(args: ParsedArgs, io: CommandIo): Promise<number> {
  io.stdout(staticConfigText(args));
  return 0;
}

/** The document `static` prints; golden tests pin the generator named in its header. */
export function staticConfigText(args: ParsedArgs, generator = GENERATOR): string {
  const infra = infraOptionsFrom(args);
  if (infra.publicIpv4 === undefined) throw new UsageError('Expected --public-ipv4 ADDRESS: websecure, web and the TCP/UDP entrypoints listen on it');
  const domain = parseBaseDomain(args.get('base-domain') ?? '');
  if (!domain.ok) throw new UsageError(domain.error);
  const delivery = args.get('delivery') ?? 'file';
  if (delivery !== 'file' && delivery !== 'http') throw new UsageError(`Expected \`--delivery\` to be file or http, got ${JSON.stringify(delivery)}`);
  const outDir = args.get('out-dir') ?? args.get('out') ?? SYSTEM_OUT_DIR;
  const outFlag = args.get('out-dir') !== undefined ? '--out-dir' : '--out';
  if (!isAbsolute(outDir)) throw new UsageError(`Expected \`${outFlag}\` to be an absolute path (Traefik resolves it from its own working directory), got ${JSON.stringify(outDir)}`);
  const config = buildStaticConfig({
    ...infra,
    publicIpv4: infra.publicIpv4,
    baseDomain: domain.value,
    certEmail: certEmail(args.get('cert-email')),
    outDir,
    delivery: delivery as Delivery,
    listen: parseListen(args.get('listen') ?? '127.0.0.1:7111'),
  });
  return serializeUntemplated(config, HEADER(infra.publicIpv4, generator));
}

/** What Let's Encrypt accepts as a contact: one `@`, a dotted domain, no spaces. */
function certEmail(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  if (!/^[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/.test(text)) {
    throw new UsageError(`Expected \`--cert-email\` to be an e-mail address like admin@example.com, got ${JSON.stringify(text)}`);
  }
  return text;
}
