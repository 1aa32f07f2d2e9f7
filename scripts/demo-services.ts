// The demo's tenants: the sample services of the product documentation, with the `rediacc.*`
// labels the deploy tool would add (service name, loopback IP in the tenant's /26, network id,
// ports). Each runs `sleep` in the busybox test image: route-server reads labels, not traffic.

export interface DemoService {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface DemoTenant {
  readonly networkId: string;
  readonly what: string;
  readonly services: readonly DemoService[];
}

function rediacc(networkId: string, name: string, ip: string, tcpPorts: string): Record<string, string> {
  return { 'rediacc.service_name': name, 'rediacc.service_ip': ip, 'rediacc.network_id': networkId, 'rediacc.tcp_ports': tcpPorts };
}

export const DEMO_TENANTS: readonly DemoTenant[] = [
  {
    networkId: '2816',
    what: 'the complete example: a web application on app.example.com with HSTS, and its database (auto-route only)',
    services: [
      {
        name: 'webapp',
        labels: {
          ...rediacc('2816', 'webapp', '127.0.11.2', '3000'),
          'traefik.enable': 'true',
          'traefik.http.routers.webapp.rule': 'Host(`app.example.com`)',
          'traefik.http.routers.webapp.entrypoints': 'websecure,websecure-v6',
          'traefik.http.routers.webapp.tls.certresolver': 'letsencrypt',
          'traefik.http.services.webapp.loadbalancer.server.port': '3000',
          'traefik.http.middlewares.webapp-hsts.headers.stsSeconds': '15768000',
          'traefik.http.middlewares.webapp-hsts.headers.stsIncludeSubdomains': 'true',
          'traefik.http.routers.webapp.middlewares': 'webapp-hsts',
        },
      },
      { name: 'postgres', labels: rediacc('2816', 'postgres', '127.0.11.3', '5432') },
    ],
  },
  {
    networkId: '2880',
    what: 'a mail server (SMTP on tcp-25, IMAPS passed through on tcp-993) and an auto-routed app',
    services: [
      {
        name: 'mail-server',
        labels: {
          ...rediacc('2880', 'mail-server', '127.0.11.66', '25,993'),
          'traefik.enable': 'true',
          'traefik.tcp.routers.mail-smtp.entrypoints': 'tcp-25',
          'traefik.tcp.routers.mail-smtp.rule': 'HostSNI(`*`)',
          'traefik.tcp.routers.mail-smtp.service': 'mail-smtp',
          'traefik.tcp.services.mail-smtp.loadbalancer.server.port': '25',
          'traefik.tcp.routers.mail-imaps.entrypoints': 'tcp-993',
          'traefik.tcp.routers.mail-imaps.rule': 'HostSNI(`mail.example.com`)',
          'traefik.tcp.routers.mail-imaps.tls.passthrough': 'true',
          'traefik.tcp.routers.mail-imaps.service': 'mail-imaps',
          'traefik.tcp.services.mail-imaps.loadbalancer.server.port': '993',
        },
      },
      { name: 'myapp', labels: rediacc('2880', 'myapp', '127.0.11.67', '8080') },
    ],
  },
];
