// TLS as a tenant may touch it (pkg/tls/tls.go, pkg/types/domains.go): the domains a router asks
// certificates for, and stores, which are refused (they are global). Certificates and options are
// the operator's files; labels only get them checked.

import { def, ignore, named, str, strs, sub, subs } from './table.ts';

export const Domain = def('Domain', str('main'), strs('sans'));

export const TlsStore = def(
  'Store',
  sub('defaultCertificate', def('Certificate', str('certFile'), str('keyFile')), ignore),
  sub('defaultGeneratedCert', def('GeneratedCert', str('resolver'), sub('domain', Domain))),
);

export const TlsConfiguration = def(
  'TLSConfiguration',
  subs('certificates', def('CertAndStores', str('certFile'), str('keyFile'), strs('stores')), ignore),
  named('options', def('Options'), ignore),
  named('stores', TlsStore),
);
