import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseArgs, UsageError } from './parse-args.ts';
import { fleetOptionsFrom } from './run-command.ts';

const files: Record<string, string> = { '/etc/rs.yml': 'fleet-redis: redis://10.0.0.5:6380/1\nfleet-name: host-a\nfleet-address: 192.0.2.10\n' };
const environment = (env: Record<string, string>) => ({ env, readFile: (path: string) => files[path] as string });

test('fleet options come from flags, ROUTE_SERVER_* variables or the --config file', () => {
  const fromFlags = fleetOptionsFrom(parseArgs('run', ['--fleet-redis', 'redis://r', '--fleet-name', 'host-a', '--fleet-address', '192.0.2.10'], environment({})));
  assert.equal(fromFlags?.address, '192.0.2.10:443');
  const fromEnv = fleetOptionsFrom(parseArgs('run', [], environment({ ROUTE_SERVER_FLEET_REDIS: 'redis://r', ROUTE_SERVER_FLEET_NAME: 'host-b', ROUTE_SERVER_FLEET_ADDRESS: 'edge-b.example.com', ROUTE_SERVER_FLEET_ROOT_KEY: 'edge' })));
  assert.deepEqual([fromEnv?.name, fromEnv?.rootKey, fromEnv?.address], ['host-b', 'edge', 'edge-b.example.com:443']);
  const fromConfig = fleetOptionsFrom(parseArgs('run', ['--config', '/etc/rs.yml'], environment({})));
  assert.deepEqual([fromConfig?.redis.endpoints, fromConfig?.redis.db, fromConfig?.name], [['10.0.0.5:6380'], 1, 'host-a']);
  assert.equal(fleetOptionsFrom(parseArgs('run', [], environment({}))), undefined);
});

test('a bad fleet option is a usage error naming it', () => {
  assert.throws(() => fleetOptionsFrom(parseArgs('run', ['--fleet-redis', 'redis://r', '--fleet-name', 'Host_A', '--fleet-address', '192.0.2.10'], environment({}))), (error: unknown) => error instanceof UsageError && /--fleet-name/.test(error.message));
});
