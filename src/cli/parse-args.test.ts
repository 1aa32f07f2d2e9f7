import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs, UsageError } from './parse-args.ts';
import { renderOptionsFrom } from './render-config.ts';

const files: Record<string, string> = {
  'rs.yml': 'base-domain: from-file.example\nentrypoints: [websecure]\nallow-ref: secure-headers@file\nexposed-by-default: true\n',
  'bad.yml': 'bogus-key: 1\n',
  'host.yml': 'public-ipv4: 203.0.113.50\ntcp-ports: [25, 587]\ncert-email: admin@example.com\ndelivery: http\nsockets: /run/d-*.sock\ndebounce-max: 4s\n',
};
const environment = (env: Record<string, string> = {}) => ({
  env,
  readFile: (path: string) => {
    const text = files[path];
    if (text === undefined) throw new Error('ENOENT');
    return text;
  },
});

test('flags win over ROUTE_SERVER_* variables, which win over the --config file', () => {
  const args = parseArgs('run', ['--config', 'rs.yml', '--base-domain', 'from-flag.example'], environment({ ROUTE_SERVER_BASE_DOMAIN: 'from-env.example', ROUTE_SERVER_CERT_RESOLVER: 'le' }));
  assert.equal(args.values.get('base-domain'), 'from-flag.example');
  assert.equal(args.sources.get('base-domain'), 'flag');
  assert.equal(args.values.get('cert-resolver'), 'le');
  assert.equal(args.sources.get('cert-resolver'), 'env');
  assert.deepEqual(args.values.get('entrypoints'), ['websecure']);
  assert.equal(args.sources.get('entrypoints'), 'config');
  const options = renderOptionsFrom(args);
  assert.equal(options.baseDomain, 'from-flag.example');
  assert.equal(options.exposedByDefault, true);
  assert.deepEqual(options.allowRefs, ['secure-headers@file']);
});

test('repeatable flags accumulate; booleans take --flag and --flag=false', () => {
  const args = parseArgs('run', ['--allow-ref', 'a@file', '--allow-ref=b@file', '--no-auto-routes', '--exposed-by-default=false'], environment());
  assert.deepEqual(args.values.get('allow-ref'), ['a@file', 'b@file']);
  assert.equal(args.values.get('no-auto-routes'), true);
  assert.equal(args.values.get('exposed-by-default'), false);
  assert.equal(parseArgs('run', ['--debounce-min', '150ms'], environment()).values.get('debounce-min'), 150);
});

test('mistakes are usage errors that name the option and what was expected', () => {
  const cases: [string[], Record<string, string>, RegExp][] = [
    [['--bogus'], {}, /^Unknown option --bogus for `route-server run`/],
    [['--listen'], {}, /^Expected a value after --listen$/],
    [['--debounce-min', 'soon'], {}, /^Expected `--debounce-min` to be a duration like 250ms, 2s or 1m, got "soon"$/],
    [[], { ROUTE_SERVER_NO_AUTO_ROUTES: 'maybe' }, /^Expected `ROUTE_SERVER_NO_AUTO_ROUTES` to be true or false, got "maybe"$/],
    [['--config', 'bad.yml'], {}, /^Unknown key "bogus-key" in --config bad.yml/],
    [['--config', 'missing.yml'], {}, /^Cannot read --config missing.yml/],
  ];
  for (const [argv, env, message] of cases) assert.throws(() => parseArgs('run', argv, environment(env)), (error: unknown) => error instanceof UsageError && message.test(error.message));
});

test('the base domain is read in the canonical host form', () => {
  const domain = (text: string) => renderOptionsFrom(parseArgs('render', ['--base-domain', text], environment())).baseDomain;
  assert.equal(domain('Example.COM..'), 'example.com');
  assert.equal(domain('bücher.example'), 'xn--bcher-kva.example');
  assert.equal(domain(''), undefined);
});

test('--allow-backend takes ranges, host names and *.domain patterns; --allow-plugin names', () => {
  const options = renderOptionsFrom(
    parseArgs('render', ['--allow-backend', '10.0.0.0/8,Auth.Example.com.', '--allow-backend', '*.svc.example.net', '--allow-plugin', 'jwt,plugindemo'], environment()),
  );
  assert.deepEqual(options.allowBackends.ranges.map(String), ['10.0.0.0/8']);
  assert.deepEqual(options.allowBackends.names, [
    { kind: 'exact', name: 'auth.example.com' },
    { kind: 'below', domain: 'svc.example.net' },
  ]);
  assert.deepEqual(options.allowPlugins, ['jwt', 'plugindemo']);
  // A Unicode name is taken in its Punycode form, as rules and --base-domain are.
  const unicode = renderOptionsFrom(parseArgs('render', ['--allow-backend', 'Bücher.example.com,*.münchen.de'], environment()));
  assert.deepEqual(unicode.allowBackends.names, [
    { kind: 'exact', name: 'xn--bcher-kva.example.com' },
    { kind: 'below', domain: 'xn--mnchen-3ya.de' },
  ]);
  const fromEnv = renderOptionsFrom(parseArgs('run', [], environment({ ROUTE_SERVER_ALLOW_PLUGIN: 'jwt' })));
  assert.deepEqual(fromEnv.allowPlugins, ['jwt']);
});

test('render options are validated with exact messages', () => {
  const bad: [string[], RegExp][] = [
    [['--base-domain', 'not a domain'], /^Expected `--base-domain` to be a DNS name like example.com/],
    [['--tcp-range', '10010-10000'], /^Expected `--tcp-range` to be a port range like 10000-10010/],
    [['--allow-backend', '10.0.0.5/8'], /has host bits set \(did you mean 10.0.0.0\/8\?\)/],
    [['--allow-backend', '*.com'], /^Expected `--allow-backend` to be a CIDR like 10.0.0.0\/8, a host name like auth.example.com or a pattern like \*.example.com: "\*.com" would match every name/],
    [['--allow-backend', '0x7f.1'], /"0x7f.1" is not a host name/],
    [['--allow-plugin', 'my.plugin'], /^Expected `--allow-plugin` to be a plugin name like plugindemo/],
    [['--default-rule', 'Host(`{{ .Nope }}`)'], /unknown field \.Nope/],
    [['--entrypoints', 'web secure'], /^Expected `--entrypoints` to be entrypoint names/],
    [['--entrypoints', 'websecure,tcp-3306'], /^Expected `--entrypoints` to name HTTP entrypoints, got the TCP entrypoint "tcp-3306"$/],
    [['--max-certs-per-daemon', '-1'], /^Expected `--max-certs-per-daemon` to be a whole number like 20, got "-1"$/],
    [['--max-certs-per-daemon', 'lots'], /^Expected `--max-certs-per-daemon` to be a whole number like 20/],
    [['--max-ports-per-daemon', 'all'], /^Expected `--max-ports-per-daemon` to be a whole number like 20/],
  ];
  for (const [argv, message] of bad) {
    assert.throws(() => renderOptionsFrom(parseArgs('render', argv, environment())), (error: unknown) => error instanceof UsageError && message.test(error.message), argv.join(' '));
  }
});

test('one --config file serves static and run: keys of the other command are ignored, unknown keys are not', () => {
  const forStatic = parseArgs('static', ['--config', 'host.yml'], environment());
  assert.deepEqual(forStatic.values.get('tcp-ports'), ['25', '587']);
  assert.equal(forStatic.values.get('delivery'), 'http');
  assert.equal(forStatic.values.has('sockets'), false);
  const forRun = parseArgs('run', ['--config', 'host.yml'], environment());
  assert.equal(forRun.values.get('public-ipv4'), '203.0.113.50');
  assert.equal(forRun.values.has('cert-email'), false);
  assert.deepEqual(renderOptionsFrom(forRun).hostEntrypoints?.names.filter((n) => n.startsWith('tcp-') && Number(n.slice(4)) < 1000), ['tcp-25', 'tcp-587']);
  assert.throws(() => parseArgs('static', ['--config', 'bad.yml'], environment()), new UsageError('Unknown key "bogus-key" in --config bad.yml for `route-server static`'));
});

test('with the infra options, the default entrypoints are the HTTPS entrypoints the host has', () => {
  const v4 = renderOptionsFrom(parseArgs('run', ['--public-ipv4', '203.0.113.50'], environment()));
  assert.deepEqual(v4.entrypoints, ['websecure']);
  const both = renderOptionsFrom(parseArgs('run', ['--public-ipv4', '203.0.113.50', '--public-ipv6', '2001:db8::1'], environment()));
  assert.deepEqual(both.entrypoints, ['websecure', 'websecure-v6']);
  const none = renderOptionsFrom(parseArgs('run', [], environment()));
  assert.deepEqual(none.entrypoints, ['websecure', 'websecure-v6']);
  assert.equal(none.hostEntrypoints, undefined);
});

test('certificate options: a limit per daemon and the shared wildcard, from flags, environment or file', () => {
  const defaults = renderOptionsFrom(parseArgs('render', [], environment()));
  assert.equal(defaults.maxCertsPerDaemon, 20);
  assert.equal(defaults.wildcardCert, true);
  const set = renderOptionsFrom(parseArgs('render', ['--no-wildcard-cert'], environment({ ROUTE_SERVER_MAX_CERTS_PER_DAEMON: '0' })));
  assert.equal(set.maxCertsPerDaemon, 0);
  assert.equal(set.wildcardCert, false);
});
