// The hostile cases: what one newer tenant container may try, by category (the list of issue 12),
// and what must come of it. `router`: its router `evil` is refused, its router `fine` still renders;
// `container`: the whole container is skipped; `resource`: a resource that is not a router (a TLS
// store, a model) is refused and both routers render; `accepted`: harmless however odd, `evil` renders and
// reads back as written; `daemon`: a daemon of its own is refused. Generated where a family of
// spellings shares one expectation.

import type { ContainerSnapshot, DaemonSnapshot } from '../../src/model/snapshot.ts';

export type Outcome = 'router' | 'container' | 'accepted' | 'resource' | 'daemon';

export interface HostileCase {
  readonly name: string;
  readonly category: string;
  /** Added to the attacker's base labels (scenario.ts `attackerBase`). */
  readonly labels: Record<string, string>;
  readonly outcome: Outcome;
  /** The code of the diagnostic that must name the attacker (for `accepted`, none is required). */
  readonly code?: string;
  /** The refusal names no single label (e.g. too many labels): only daemon and container. */
  readonly noLabel?: boolean;
  readonly container?: Partial<ContainerSnapshot>;
  /** A daemon of the attacker's own beside 2816 (ids shaped like paths). */
  readonly daemon?: Omit<DaemonSnapshot, 'containers'>;
  readonly args?: readonly string[];
  /** Text that must not appear in the attacker's daemon's file (e.g. the victim's address). */
  readonly absent?: string;
  /** Name of the router the case adds, when not `evil`. */
  readonly router?: string;
}

const R = 'traefik.http.routers.evil';
const M = 'traefik.http.middlewares';
const T = 'traefik.tcp.routers.evil';

/** Router `evil` on the attacker's service with this rule. */
function evil(rule: string, more: Record<string, string> = {}): Record<string, string> {
  return { [`${R}.rule`]: rule, [`${R}.service`]: 'evil', ...more };
}

/** Router `evil` behind a middleware `m` defined by `fields` (below `traefik.http.middlewares.m.`). */
function withMiddleware(fields: Record<string, string>): Record<string, string> {
  const labels = evil('Host(`evil.example.com`)', { [`${R}.middlewares`]: 'm' });
  for (const [key, value] of Object.entries(fields)) labels[`${M}.m.${key}`] = value;
  return labels;
}

/** TCP router `evil` on a TCP service of the attacker's own. */
function evilTcp(fields: Record<string, string>): Record<string, string> {
  const labels: Record<string, string> = { 'traefik.tcp.services.evtcp.loadbalancer.server.port': '5432', [`${T}.service`]: 'evtcp' };
  for (const [key, value] of Object.entries(fields)) labels[`${T}.${key}`] = value;
  return labels;
}

/** Router `evil` on its own service `far` with these load-balancer fields: refusing `far` spares `fine`. */
function far(fields: Record<string, string>): Record<string, string> {
  const labels = evil('Host(`evil.example.com`)', { [`${R}.service`]: 'far', 'traefik.http.services.far.loadbalancer.server.port': '8080' });
  for (const [key, value] of Object.entries(fields)) labels[`traefik.http.services.far.loadbalancer.${key}`] = value;
  return labels;
}

const header = (value: string) => withMiddleware({ 'headers.customresponseheaders.X-Hostile': value });

const cases: HostileCase[] = [];
const add = (category: string, outcome: Outcome, name: string, labels: Record<string, string>, extra: Partial<HostileCase> = {}) =>
  cases.push({ name: `${category}: ${name}`, category, labels, outcome, ...extra });

// ---- Malformed and unknown labels ----------------------------------------------------------
add('labels', 'container', 'unknown router field', { ...evil('Host(`evil.example.com`)'), [`${R}.bogus`]: '1' }, { code: 'label-decode' });
add('labels', 'container', 'unknown middleware type', { ...evil('Host(`evil.example.com`)'), [`${M}.m.teleport.to`]: 'x' }, { code: 'label-decode' });
add('labels', 'container', 'empty key segment', { ...evil('Host(`evil.example.com`)'), 'traefik.http..routers.evil.rule': 'x' }, { code: 'label-decode' });
add('labels', 'container', 'not a bool', { ...evil('Host(`evil.example.com`)'), 'traefik.http.services.evil.loadbalancer.passhostheader': 'maybe' }, { code: 'label-decode' });
add('labels', 'container', 'empty bool', { ...evil('Host(`evil.example.com`)'), 'traefik.http.services.evil.loadbalancer.passhostheader': '' }, { code: 'label-decode' });
add('labels', 'container', 'not an int', { ...evil('Host(`evil.example.com`)'), [`${R}.priority`]: '1e3' }, { code: 'label-decode' });
add('labels', 'container', 'int overflow', { ...evil('Host(`evil.example.com`)'), [`${R}.priority`]: '99999999999999999999999' }, { code: 'label-decode' });
add('labels', 'container', 'not a duration', { ...withMiddleware({ 'ratelimit.average': '5', 'ratelimit.period': 'forever' }) }, { code: 'label-decode' });
add('labels', 'accepted', 'list of structs given a value', { ...evil('Host(`evil.example.com`)'), [`${R}.tls.domains`]: 'evil.example.com' });
add('labels', 'accepted', 'list index that is not a number', { ...evil('Host(`evil.example.com`)'), [`${R}.tls.domains[x].main`]: 'evil.example.com' });
add('labels', 'container', 'url and port together', { ...evil('Host(`evil.example.com`)'), 'traefik.http.services.evil.loadbalancer.server.url': 'http://127.0.11.9:8080' }, { code: 'server-error' });
add('labels', 'container', 'traefik.enable not a bool', { ...evil('Host(`evil.example.com`)'), 'traefik.enable': 'yes please' }, { code: 'label-decode' });
add('labels', 'container', 'nginx headers pointer', { ...withMiddleware({ 'errors.nginxheaders.X-A': 'b' }) }, { code: 'label-decode' });
add('labels', 'router', 'router on a service it never defined', evil('Host(`evil.example.com`)', { [`${R}.service`]: 'ghost' }), { code: 'reference-refused' });
add('labels', 'router', 'middleware never defined', evil('Host(`evil.example.com`)', { [`${R}.middlewares`]: 'ghost' }), { code: 'reference-refused' });
add('labels', 'container', 'root in upper case', { ...evil('Host(`evil.example.com`)'), 'TRAEFIK.HTTP.ROUTERS.evil.RULE': 'Host(`x.example.com`)' }, { code: 'label-decode' });
add('labels', 'accepted', 'unknown traefik.* namespace is ignored', { ...evil('Host(`evil.example.com`)'), 'traefik.wrong.label': '{{ env "X" }}' });
add('labels', 'accepted', 'field names in any case', { 'traefik.HTTP.Routers.evil.RULE': 'Host(`evil.example.com`)', [`${R}.SERVICE`]: 'evil' });
add('labels', 'accepted', 'settable-by-no-label field', { ...evil('Host(`evil.example.com`)'), 'traefik.http.serverstransports.st.insecureskipverify': 'true' });
add('labels', 'accepted', 'bad rediacc.tcp_ports entries are ignored', { ...evil('Host(`evil.example.com`)'), 'rediacc.tcp_ports': 'abc,70000,-1' });
add('labels', 'accepted', 'compose-style names', evil('Host(`evil.example.com`)'), { container: { labels: { 'com.docker.compose.service': 'x/../y', 'com.docker.compose.project': '{{p}}' } } });

// ---- Bad rules ------------------------------------------------------------------------------
const badRules: [string, string, string][] = [
  ['unclosed backtick', 'Host(`evil.example.com)', 'rule-invalid'],
  ['empty Host', 'Host(``)', 'rule-invalid'],
  ['no arguments', 'Host()', 'rule-invalid'],
  ['unknown matcher', 'Hots(`evil.example.com`)', 'rule-invalid'],
  ['dangling operator', 'Host(`evil.example.com`) &&', 'rule-invalid'],
  ['unbalanced parentheses', '((Host(`evil.example.com`))', 'rule-invalid'],
  ['path without slash', 'Host(`evil.example.com`) && Path(`admin`)', 'rule-invalid'],
  ['invalid ClientIP', 'Host(`evil.example.com`) && ClientIP(`999.1.1.1`)', 'rule-invalid'],
  ['RE2 lookahead', 'Host(`evil.example.com`) && PathRegexp(`^/(?=a)`)', 'rule-invalid'],
  ['RE2 backreference', 'Host(`evil.example.com`) && HeaderRegexp(`X`, `(a)\\1`)', 'rule-invalid'],
  ['single quotes', "Host('evil.example.com')", 'rule-invalid'],
  ['NUL in rule', 'Host(`evil.example.com`)\u0000 || Host(`shop.example.com`)', 'rule-invalid'],
  ['TCP matcher in HTTP', 'HostSNI(`evil.example.com`)', 'rule-invalid'],
  ['catch-all host', 'Host(`*`)', 'rule-unbounded'],
  ['no host at all', 'PathPrefix(`/`)', 'rule-unbounded'],
  ['host or anything', 'Host(`evil.example.com`) || PathPrefix(`/`)', 'rule-unbounded'],
  ['HostRegexp anything', 'HostRegexp(`.+`)', 'rule-unbounded'],
  ['negated own host', '!Host(`evil.example.com`)', 'rule-unbounded'],
  ['too deep', `${'('.repeat(150)}Host(\`evil.example.com\`)${')'.repeat(150)}`, 'rule-too-deep'],
  ['too many matchers', Array.from({ length: 1200 }, (_, i) => `Host(\`h${i}.e\`)`).join('||'), 'rule-too-many-matchers'],
  ['too long', `Host(\`evil.example.com\`) && Path(\`/${'a'.repeat(40_000)}\`)`, 'rule-too-long'],
  ['regexp blow-up', 'Host(`evil.example.com`) && PathRegexp(`^/((a{1000}){1000})$`)', 'rule-invalid'],
];
for (const [name, rule, code] of badRules) add('rules', 'router', name, evil(rule), { code });
add('rules', 'router', 'negated victim host on websecure', evil('Host(`evil.example.com`) && !Host(`shop.example.com`)'), { code: 'rule-negated-host-tls' });
add('rules', 'accepted', 'v2 syntax is read as v2', evil('Host(`evil.example.com`) && PathPrefix(`/a`)', { [`${R}.rulesyntax`]: 'v2' }));
add('rules', 'accepted', 'negated path is fine', evil('Host(`evil.example.com`) && !PathPrefix(`/admin`)'));
add('rules', 'router', 'newline before an operator (Go inserts a semicolon)', evil('Host(`evil.example.com`)\n\t&& Path(`/x`)'), { code: 'rule-invalid' });
add('rules', 'accepted', 'tabs and newlines after operators', evil('Host(`evil.example.com`) &&\r\n\tPath(`/x`)'));

// ---- Bad ports ------------------------------------------------------------------------------
add('ports', 'accepted', 'a port with a path is a URL with a path, on its own address', { ...evil('Host(`evil.example.com`)'), 'traefik.http.services.evil.loadbalancer.server.port': '8080/tcp' });
for (const port of ['0', '65536', '-1', 'abc', '0x50', '80.5', '1e3']) {
  add('ports', 'container', `service port ${JSON.stringify(port)}`, { ...evil('Host(`evil.example.com`)'), 'traefik.http.services.evil.loadbalancer.server.port': port }, { code: 'backend-refused' });
}
add('ports', 'accepted', 'TCP router on an entrypoint the host lacks is written with a warning', evilTcp({ rule: 'HostSNI(`*`)', entrypoints: 'tcp-99999' }), { args: ['--public-ipv4', '203.0.113.50'] });
add('ports', 'accepted', 'TCP catch-all gets a port of the range', evilTcp({ rule: 'HostSNI(`*`)' }));
add('ports', 'router', 'TCP catch-all on the port the victim was given', evilTcp({ rule: 'HostSNI(`*`)', entrypoints: 'tcp-10000' }), { code: 'entrypoint-conflict' });

// ---- Template actions, newlines, YAML specials, control characters, odd Unicode ---------------
const oddValues: [string, string][] = [
  ['template env', '{{ env "CF_DNS_API_TOKEN" }}'],
  ['template trim markers', '{{- "x" -}}'],
  ['template comment', '{{/* hidden */}}'],
  ['raw-string escape', '{{`{{`}}'],
  ['lone closers', '}} }}{{'],
  ['newline then YAML', 'a\nX-Injected: b'],
  ['CRLF', 'a\r\nb'],
  ['YAML yes', 'yes'],
  ['YAML null', '~'],
  ['YAML anchor', '&a x'],
  ['YAML alias', '*a'],
  ['YAML tag', '!!python/object:os.system'],
  ['YAML merge key', '<<'],
  ['YAML document end', '...'],
  ['YAML directive', '%YAML 1.1'],
  ['YAML comment', '# not a comment'],
  ['yaml.v3 integer', '1_000'],
  ['yaml.v3 binary', '0b101'],
  ['yaml.v3 timestamp', '2025-01-01'],
  ['quotes', `'"\``],
  ['NUL', 'a\u0000b'],
  ['BEL and ESC', '\u0007\u001b[31mred'],
  ['DEL and C1', '\u007f\u0085\u009b'],
  ['line and paragraph separators', 'a\u2028b\u2029c'],
  ['BOM and U+FFFE', '\ufeffa\ufffe'],
  ['lone surrogate', 'a\ud800b'],
  ['right-to-left override', 'evil\u202etxt.exe'],
  ['zero-width joiner and combining marks', 'e\u200d\u0301\u0301\u0301'],
  ['emoji', '\u{1F525}\u{1F4A9}'],
  ['backslashes', '\\x41\\u0041\\'],
];
for (const [name, value] of oddValues) add('text', 'accepted', `header value: ${name}`, header(value));
const oddNames: [string, string][] = [
  ['template', '{{x}}'],
  ['YAML bool', 'true'],
  ['YAML null', 'null'],
  ['merge key', '<<'],
  ['number', '0x1F'],
  ['dash', '-'],
  ['colon space', 'a: b'],
  ['hash', '#x'],
  ['unicode', 'r\u00e9sum\u00e9'],
  ['percent', '%2e%2e'],
];
for (const [name, value] of oddNames) {
  add('text', 'accepted', `middleware name: ${name}`, { ...evil('Host(`evil.example.com`)', { [`${R}.middlewares`]: value }), [`${M}.${value}.headers.customresponseheaders.X-A`]: 'b' });
}
add('text', 'accepted', 'label key with a newline', { ...evil('Host(`evil.example.com`)'), 'traefik.http.routers.ev\nil.rule': 'Host(`x.example.com`)', 'traefik.http.routers.ev\nil.service': 'evil' });
add('text', 'accepted', 'router name with a newline', { 'traefik.http.routers.e\nvil.rule': 'Host(`evil.example.com`)', 'traefik.http.routers.e\nvil.service': 'evil' }, { router: 'e\nvil' });
add('text', 'container', 'service_ip with a newline', evil('Host(`evil.example.com`)'), { container: { labels: { 'rediacc.service_ip': '127.0.11.9\n127.0.11.66', 'traefik.enable': 'true' } }, code: 'service-ip-invalid' });
add('text', 'accepted', 'container name with template and newline', evil('Host(`evil.example.com`)'), { container: { name: '{{ env "X" }}\nx: y' } });
add('text', 'accepted', 'container name with NEL and U+2028', evil('Host(`evil.example.com`)'), { container: { name: 'a\u0085b\u2028c' } });
add('text', 'accepted', 'host with a template action is a literal host', evil('Host(`{{.Env}}.example.com`)'));
add('text', 'router', 'non-ASCII host Traefik refuses', evil('Host(`evil.example.com\u202e`)'), { code: 'rule-invalid' });

// ---- Huge values and many labels -----------------------------------------------------------
add('huge', 'container', 'value over the limit', { ...header('x'.repeat(70_000)) }, { code: 'label-value-too-large' });
add('huge', 'accepted', 'value just under the limit', header('y'.repeat(65_000)));
add('huge', 'container', 'thousands of labels', { ...evil('Host(`evil.example.com`)'), ...Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`${M}.m${i}.headers.customresponseheaders.X-${i}`, 'v'])) }, { code: 'labels-too-many', noLabel: true });
add('huge', 'accepted', 'hundreds of middlewares', {
  ...evil('Host(`evil.example.com`)', { [`${R}.middlewares`]: Array.from({ length: 300 }, (_, i) => `m${i}`).join(',') }),
  ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`${M}.m${i}.headers.customresponseheaders.X-${i}`, `v${i}`])),
});
add('huge', 'container', 'label key too deep', { ...evil('Host(`evil.example.com`)'), [`${M}.m.headers.customresponseheaders.${Array(70).fill('a').join('.')}`]: 'x' }, { code: 'label-key-too-deep' });
add('huge', 'container', 'key of 100,000 characters', { ...evil('Host(`evil.example.com`)'), [`${M}.${'k'.repeat(100_000)}.x`]: 'x' }, { code: 'label-decode' });
add('huge', 'router', 'chain nested 40 deep', {
  ...evil('Host(`evil.example.com`)', { [`${R}.middlewares`]: 'c0' }),
  ...Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`${M}.c${i}.chain.middlewares`, i === 39 ? 'leaf' : `c${i + 1}`])),
  [`${M}.leaf.headers.customresponseheaders.X-A`]: 'b',
}, { code: 'chain-too-deep' });
add('huge', 'router', 'forwardAuth answer limit of 1 TiB, allocated per request', withMiddleware({ 'forwardauth.address': 'http://127.0.11.10:4181/', 'forwardauth.maxresponsebodysize': '1099511627776' }), { code: 'body-limit-refused' });
add('huge', 'router', 'health check every nanosecond', far({ 'healthcheck.path': '/health', 'healthcheck.interval': '1ns' }), { code: 'health-check-too-frequent' });
add('huge', 'router', 'chain cycle', { ...evil('Host(`evil.example.com`)', { [`${R}.middlewares`]: 'c0' }), [`${M}.c0.chain.middlewares`]: 'c1', [`${M}.c1.chain.middlewares`]: 'c0' }, { code: 'chain-recursion' });
add('huge', 'router', 'many certificates', {
  ...Object.fromEntries(Array.from({ length: 30 }, (_, i) => [[`traefik.http.routers.e${i}.rule`, `Host(\`c${i}.evil.org\`)`], [`traefik.http.routers.e${i}.tls.certresolver`, 'letsencrypt'], [`traefik.http.routers.e${i}.service`, 'evil']]).flat()),
  ...evil('Host(`evil.example.com`)'),
  [`${R}.tls.domains[0].main`]: 'z.evil.org',
  [`${R}.tls.certresolver`]: 'letsencrypt',
}, { code: 'cert-quota' });

// ---- Ids and names shaped like paths ---------------------------------------------------------
for (const name of ['../../etc/passwd', '/evil', 'a/b/../../c', '..', '.', 'C:\\Windows', 'rs-2880.yml']) {
  add('paths', 'accepted', `container name ${JSON.stringify(name)}`, evil('Host(`evil.example.com`)'), { container: { name, id: name } });
}
for (const name of ['a/b', '/', '\\x', 'rs-2880', 'x@file']) {
  const outcome: Outcome = name.includes('@') ? 'router' : 'accepted';
  add('paths', outcome, `middleware name ${JSON.stringify(name)}`, { ...evil('Host(`evil.example.com`)', { [`${R}.middlewares`]: name }), [`${M}.${name}.headers.customresponseheaders.X-A`]: 'b' }, outcome === 'router' ? { code: 'name-refused' } : {});
}
for (const name of ['../x', '..', 'rs-2880.yml']) {
  add('paths', 'container', `middleware name ${JSON.stringify(name)} (dots split label keys)`, { ...evil('Host(`evil.example.com`)', { [`${R}.middlewares`]: name }), [`${M}.${name}.headers.customresponseheaders.X-A`]: 'b' }, { code: 'label-decode' });
}
for (const id of ['../2880', '2880/../2816', '2816.yml', 'Evil', '2817', '-x', 'a'.repeat(64), '']) {
  cases.push({ name: `paths: daemon id ${JSON.stringify(id)}`, category: 'paths', labels: evil('Host(`evil.example.com`)'), outcome: 'daemon', code: 'daemon-id-invalid', daemon: { id, socket: `/var/run/rediacc/docker-${id}.sock` } });
}

// ---- Reaching another tenant: its hosts, in any spelling -------------------------------------
const victimHosts = [
  'shop.example.com',
  'SHOP.EXAMPLE.COM',
  'shop.example.com.',
  'shop.example.com...',
  ' shop.example.com ',
  'Shop.Example.Com.',
  'blog-2880.example.com',
  'BLOG-2880.example.com.',
  'blog-2880.EXAMPLE.com',
];
for (const host of victimHosts) {
  add('hosts', 'router', `Host ${JSON.stringify(host)}`, evil(`Host(\`${host}\`)`), { code: 'host-conflict' });
  add('hosts', 'router', `Host ${JSON.stringify(host)} in a disjunction`, evil(`Host(\`evil.example.com\`) || (Host(\`${host}\`) && PathPrefix(\`/admin\`))`), { code: 'host-conflict' });
}
add('hosts', 'router', 'double-quoted Go escape', evil('Host("sh\\x6fp.example.com")'), { code: 'host-conflict' });
add('hosts', 'router', 'double-quoted unicode escape', evil('Host("\\u0073hop.example.com")'), { code: 'host-conflict' });
add('hosts', 'router', 'percent escape', evil('Host(`shop%2Eexample.com`)'), { code: 'host-conflict' });
add('hosts', 'router', 'Kelvin sign', evil('Host(`blog-2880.example.\u212Aom`)'), { code: 'rule-invalid' });
add('hosts', 'router', 'HostRegexp matching the victim', evil('HostRegexp(`^shop\\.example\\.com$`)'), { code: 'rule-unbounded' });
add('hosts', 'router', 'wildcard over the victim', evil('Host(`*.example.com`)'), { code: 'rule-unbounded' });
add('hosts', 'router', 'another tenant auto-route name', evil('Host(`www-2880.example.com`)'), { code: 'host-conflict' });
add('hosts', 'router', 'HostSNI of the victim on websecure', evilTcp({ rule: 'HostSNI(`shop.example.com`)', entrypoints: 'websecure', tls: 'true' }), { code: 'host-conflict' });
add('hosts', 'router', 'HostSNI upper case with trailing dot', evilTcp({ rule: 'HostSNI(`SHOP.example.com.`)', entrypoints: 'websecure', 'tls.passthrough': 'true' }), { code: 'host-conflict' });
add('hosts', 'router', 'HostSNIRegexp over the victim', evilTcp({ rule: 'HostSNIRegexp(`^.+\\.example\\.com$`)', entrypoints: 'websecure', tls: 'true' }), { code: 'rule-unbounded' });
add('hosts', 'router', "localhost, above Traefik's dashboard", evil('Host(`localhost`)', { [`${R}.entrypoints`]: 'traefik', [`${R}.priority`]: '9223372036854775807' }), { code: 'host-refused' });
add('hosts', 'router', 'an IP address of the host', evil('Host(`127.0.0.1`) || Host(`evil.example.com`)'), { code: 'host-refused' });
add('hosts', 'accepted', 'a distinct host that merely contains the victim', evil('Host(`shop.example.com.evil.org`)'));
add('hosts', 'router', 'a Cyrillic look-alike is not ASCII', evil('Host(`sh\u043Ep.example.com`)'), { code: 'rule-invalid' });
add('hosts', 'accepted', 'Punycode of a look-alike is another host', evil('Host(`xn--shp-ved.example.com`)'));

// ---- Reaching another tenant: names, @internal, other providers ----------------------------
const foreignServices = ['api@internal', 'dashboard@internal', 'noop@internal', 'shop-2880@file', 'shop-2880', 'shop@docker', 'x@kubernetescrd', 'acme-http@internal'];
for (const service of foreignServices) add('references', 'router', `service ${service}`, evil('Host(`evil.example.com`)', { [`${R}.service`]: service }), { code: 'reference-refused' });
for (const middleware of ['auth-2880@file', 'auth-2880', 'auth@docker', 'dashboard_redirect@internal', 'evil,auth@file']) {
  add('references', 'router', `middleware ${middleware}`, evil('Host(`evil.example.com`)', { [`${R}.middlewares`]: middleware }), { code: 'reference-refused' });
}
add('references', 'router', 'chain to @internal', withMiddleware({ 'chain.middlewares': 'dashboard_stripprefix@internal' }), { code: 'reference-refused' });
add('references', 'router', 'errors page served by the victim', withMiddleware({ 'errors.status': '500', 'errors.service': 'shop-2880@file', 'errors.query': '/' }), { code: 'reference-refused' });
add('references', 'router', 'TLS options of another provider', evil('Host(`evil.example.com`)', { [`${R}.tls.options`]: 'default@file' }), { code: 'reference-refused' });
add('references', 'router', 'servers transport of the host', far({ serverstransport: 'insecure@file' }), { code: 'reference-refused' });
add('references', 'router', 'router name with @', { 'traefik.http.routers.evil@file.rule': 'Host(`evil.example.com`)', 'traefik.http.routers.evil@file.service': 'evil', ...evil('Host(`evil.example.com`)', { [`${R}.service`]: 'shop@file' }) }, { code: 'name-refused' });
add('references', 'router', 'TCP service @internal', evilTcp({ rule: 'HostSNI(`*`)', service: 'api@internal' }), { code: 'reference-refused' });
add('references', 'accepted', 'a name the victim also uses is the attacker\'s own', { ...evil('Host(`evil.example.com`)'), [`${R}.middlewares`]: 'auth', [`${M}.auth.basicauth.users`]: 'x:$apr1$H6uskkkW$IgXLP6ewTrSuBkTrqE8wj/' });

// ---- Reaching another tenant: backends -------------------------------------------------------
const foreignIps = ['127.0.11.66', '127.0.11.1', '127.0.0.1', '127.0.11.63', '10.0.0.1', '169.254.169.254', '0.0.0.0'];
for (const ip of foreignIps) {
  add('backends', 'container', `service_ip ${ip}`, evil('Host(`evil.example.com`)'), { container: { labels: { ...evil('Host(`evil.example.com`)'), 'rediacc.service_ip': ip, 'traefik.enable': 'true', 'traefik.http.services.evil.loadbalancer.server.port': '8080' } }, code: 'service-ip-refused' });
}
const foreignUrls = [
  'http://127.0.11.66:8080',
  'http://0x7f000b42:8080',
  'http://2130709314:8080',
  'http://0177.0.013.0102:8080',
  'http://127.11.66:8080',
  'http://[::ffff:127.0.11.66]:8080',
  'http://[::ffff:7f00:b42]:8080',
  'http://127.0.11.9@127.0.11.66/',
  'http://127.0.11.9:8080@169.254.169.254/',
  'http://%31%32%37.0.11.66:8080',
  'http://localhost:7111',
  'http://shop.example.com',
  'http://[64:ff9b::7f00:b42]:8080',
  'http://[2002:7f00:b42::]:8080',
  'unix:///var/run/docker.sock',
  'h2c://127.0.11.66:8080',
];
for (const url of foreignUrls) {
  add('backends', 'router', `server url ${url}`, { ...evil('Host(`evil.example.com`)', { [`${R}.service`]: 'far' }), 'traefik.http.services.far.loadbalancer.server.url': url }, { code: 'backend-refused' });
}
add('backends', 'accepted', 'server url in its own range', { ...evil('Host(`evil.example.com`)', { [`${R}.service`]: 'near' }), 'traefik.http.services.near.loadbalancer.server.url': 'http://127.0.11.10:9000' });
add('backends', 'router', 'forwardAuth to the victim', withMiddleware({ 'forwardauth.address': 'http://127.0.11.66:4181/' }), { code: 'backend-refused' });
add('backends', 'router', 'forwardAuth to route-server', withMiddleware({ 'forwardauth.address': 'http://[::1]:7111/health' }), { code: 'backend-refused' });
add('backends', 'router', 'rate-limit Redis on the host', withMiddleware({ 'ratelimit.average': '5', 'ratelimit.redis.db': '1' }), { code: 'backend-refused' });
add('backends', 'router', 'rate-limit Redis of the victim', withMiddleware({ 'ratelimit.average': '5', 'ratelimit.redis.endpoints': '127.0.11.66:6379' }), { code: 'backend-refused' });
add('backends', 'router', 'health check to the metadata service', far({ 'healthcheck.path': '//169.254.169.254/latest' }), { code: 'backend-refused' });
add('backends', 'router', 'health check following redirects anywhere', far({ 'healthcheck.path': '/health', 'healthcheck.method': 'DELETE', 'healthcheck.followredirects': 'true' }), { code: 'backend-refused' });
add('backends', 'router', 'health check with a scheme', far({ 'healthcheck.path': 'http://127.0.11.66/' }), { code: 'backend-refused' });
add('backends', 'accepted', "a TCP server address label is not settable: the container's address is used", evilTcp({ rule: 'HostSNI(`*`)' }), {
  container: { labels: { 'traefik.tcp.services.evtcp.loadbalancer.server.address': '127.0.11.66:5432' } },
  absent: '127.0.11.66',
});
add('backends', 'accepted', 'a plugin is refused unless allowed, and then passes', withMiddleware({ 'plugin.jwt.jwks': 'https://idp.example.org/keys' }), { args: ['--allow-plugin', 'jwt'] });
add('backends', 'router', 'a plugin not allowed', withMiddleware({ 'plugin.anything.upstream': 'http://127.0.11.66/' }), { code: 'plugin-refused' });

// ---- Reaching another tenant: entrypoints and ports ----------------------------------------
add('entrypoints', 'router', "victim's TCP entrypoint whole", evilTcp({ rule: 'HostSNI(`*`)', entrypoints: 'tcp-5432' }), { code: 'entrypoint-conflict' });
// Traefik looks entrypoint names up exactly: `TCP-5432` is not `tcp-5432`, so it reaches nobody.
add('entrypoints', 'accepted', "victim's TCP entrypoint in another case is another (unknown) entrypoint", evilTcp({ rule: 'HostSNI(`*`)', entrypoints: 'TCP-5432' }));
add('entrypoints', 'router', "SNI router on the victim's whole entrypoint", evilTcp({ rule: 'HostSNI(`evil.example.com`)', entrypoints: 'tcp-5432', tls: 'true' }), { code: 'entrypoint-conflict' });
add('entrypoints', 'router', 'UDP router on a TCP entrypoint', { 'traefik.udp.routers.evil.entrypoints': 'tcp-5432', 'traefik.udp.routers.evil.service': 'evudp', 'traefik.udp.services.evudp.loadbalancer.server.port': '53' }, { code: 'entrypoint-protocol' });
add('entrypoints', 'router', 'UDP router on websecure', { 'traefik.udp.routers.evil.entrypoints': 'websecure', 'traefik.udp.routers.evil.service': 'evudp', 'traefik.udp.services.evudp.loadbalancer.server.port': '53' }, { code: 'entrypoint-protocol' });
add('entrypoints', 'router', "UDP router on Traefik's own entrypoint would take it whole", { 'traefik.udp.routers.evil.entrypoints': 'traefik', 'traefik.udp.routers.evil.service': 'evudp', 'traefik.udp.services.evudp.loadbalancer.server.port': '53' }, { code: 'entrypoint-protocol' });
add('entrypoints', 'router', 'TCP catch-all on websecure', evilTcp({ rule: 'HostSNI(`*`)', entrypoints: 'websecure' }), { code: 'rule-unbounded' });
add('entrypoints', 'router', "TCP catch-all on Traefik's own entrypoint", evilTcp({ rule: 'HostSNI(`*`)', entrypoints: 'traefik' }), { code: 'rule-unbounded' });
add('entrypoints', 'router', 'HTTP router on a TCP entrypoint', evil('Host(`evil.example.com`)', { [`${R}.entrypoints`]: 'tcp-5432' }), { code: 'entrypoint-protocol' });
add('entrypoints', 'resource', 'entrypoint model', { ...evil('Host(`evil.example.com`)'), 'traefik.http.models.websecure.tls.certresolver': 'x' }, { code: 'model-refused' });
add('entrypoints', 'accepted', 'UDP router gets a port of its own', { 'traefik.udp.routers.evil.service': 'evudp', 'traefik.udp.services.evudp.loadbalancer.server.port': '53' });

// ---- Reaching another tenant: certificates and TLS -----------------------------------------
add('certificates', 'router', "tls.domains of the victim's host", evil('Host(`evil.example.com`)', { [`${R}.tls.domains[0].main`]: 'shop.example.com' }), { code: 'tls-domain-refused' });
add('certificates', 'router', "tls.domains SAN of the victim's host", evil('Host(`evil.example.com`)', { [`${R}.tls.domains[0].main`]: 'evil.example.com', [`${R}.tls.domains[0].sans`]: 'SHOP.example.com.' }), { code: 'tls-domain-refused' });
add('certificates', 'router', 'tls.domains wildcard of the base domain', evil('Host(`evil.example.com`)', { [`${R}.tls.domains[0].main`]: '*.example.com' }), { code: 'tls-domain-refused' });
add('certificates', 'router', 'tls.domains of the base domain itself', evil('Host(`evil.example.com`)', { [`${R}.tls.domains[0].main`]: 'example.com' }), { code: 'tls-domain-refused' });
add('certificates', 'router', "tls.domains of the victim's auto-route", evil('Host(`evil.example.com`)', { [`${R}.tls.domains[0].main`]: 'blog-2880.example.com' }), { code: 'tls-domain-refused' });
add('certificates', 'resource', 'TLS store default', { ...evil('Host(`evil.example.com`)'), 'traefik.tls.stores.default.defaultgeneratedcert.resolver': 'letsencrypt', 'traefik.tls.stores.default.defaultgeneratedcert.domain.main': 'shop.example.com' }, { code: 'tls-store-refused' });
add('certificates', 'accepted', 'tls.domains of its own host', evil('Host(`evil.example.com`)', { [`${R}.tls.domains[0].main`]: 'evil.example.com', [`${R}.tls.certresolver`]: 'letsencrypt' }));

// ---- Files on Traefik's host ---------------------------------------------------------------
const fileFields: [string, string][] = [
  ['forwardAuth client certificate', 'forwardauth.tls.cert'],
  ['forwardAuth client key', 'forwardauth.tls.key'],
  ['forwardAuth CA', 'forwardauth.tls.ca'],
  ['basicAuth usersFile', 'basicauth.usersfile'],
  ['digestAuth usersFile', 'digestauth.usersfile'],
  ['Redis CA', 'ratelimit.redis.tls.ca'],
];
for (const [name, field] of fileFields) {
  const extra: Record<string, string> = field.startsWith('forwardauth') ? { 'forwardauth.address': 'http://127.0.11.10:4181/' } : {};
  if (field.startsWith('ratelimit')) Object.assign(extra, { 'ratelimit.average': '5', 'ratelimit.redis.endpoints': '127.0.11.10:6379' });
  for (const path of ['/etc/traefik/acme.json', 'relative.pem', '/etc/traefik/tenants/2816/../2880/x']) {
    add('files', 'router', `${name} ${path}`, withMiddleware({ ...extra, [field]: path }), { code: 'file-path-refused', args: ['--allow-file-dir', '/etc/traefik/tenants/{id}'] });
  }
}
add('files', 'accepted', 'forwardAuth CA as PEM text', withMiddleware({ 'forwardauth.address': 'http://127.0.11.10:4181/', 'forwardauth.tls.ca': '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' }));
add('files', 'accepted', 'usersFile in its own allowed directory', withMiddleware({ 'basicauth.usersfile': '/etc/traefik/tenants/2816/htpasswd' }), { args: ['--allow-file-dir', '/etc/traefik/tenants/{id}'] });

export const HOSTILE_CASES: readonly HostileCase[] = cases;
