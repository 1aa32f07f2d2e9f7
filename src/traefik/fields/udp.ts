// UDP routers and services (pkg/config/dynamic/udp_config.go).

import { def, field, ignore, int, named, str, strs, sub, subs } from './table.ts';

export const UdpRouter = def('UDPRouter', strs('entryPoints'), str('service'));
export const UdpServer = def('UDPServer', str('address', ignore), str('port', { labelOnly: true, file: 'ignore' }));
export const UdpService = def(
  'UDPService',
  sub('loadBalancer', def('UDPServersLoadBalancer', field('servers', { kind: 'structList', struct: UdpServer, singular: 'server' }))),
  sub('weighted', def('UDPWeightedRoundRobin', subs('services', def('UDPWRRService', str('name'), int('weight')))), ignore),
);

export const UdpConfiguration = def('UDPConfiguration', named('routers', UdpRouter), named('services', UdpService));
