// A response body and, made on first demand and then kept, its gzip form. /routes.json of 10,000
// routes is 3.2 MB of JSON but 140 KB gzipped at level 1, which takes ~4 ms: compressing once per
// render makes every client that accepts gzip (browsers, python-requests, Prometheus, `curl
// --compressed`) twenty times cheaper to serve.

import { gzipSync } from 'node:zlib';

/** Smaller bodies go as they are: the header and the CPU would cost more than the bytes saved. */
export const GZIP_MIN_BYTES = 8 * 1024;

export class ResponseBody {
  readonly identity: Buffer;
  #gzip: Buffer | undefined;

  constructor(identity: Buffer | string) {
    this.identity = typeof identity === 'string' ? Buffer.from(identity) : identity;
  }

  get worthCompressing(): boolean {
    return this.identity.length >= GZIP_MIN_BYTES;
  }

  /** Level 1: nearly the ratio of level 6 on JSON at a third of the time, and it blocks the loop. */
  gzip(): Buffer {
    this.#gzip ??= gzipSync(this.identity, { level: 1 });
    return this.#gzip;
  }
}

/** Whether `Accept-Encoding` allows gzip (`gzip` or `*`, with a q-value above 0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let gzip: number | undefined;
  let any: number | undefined;
  for (const part of header.split(',')) {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const qParam = params.find((p) => p.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    const weight = Number.isFinite(q) ? q : 0;
    if (coding === 'gzip' || coding === 'x-gzip') gzip = weight;
    else if (coding === '*') any = weight;
  }
  return (gzip ?? any ?? 0) > 0;
}
