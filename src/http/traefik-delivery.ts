// GET /traefik.yml and /traefik.json: the merged configuration of every daemon's fragment, for
// Traefik's HTTP provider (`providers.http.endpoint`). That provider parses the body as YAML with
// no Go template pass, so nothing is template-escaped here: a `{{` in a header value is sent as
// `{{`. The bodies depend on the render only, so they are serialized once per render.

import { mergeFragments } from '../render/merged.ts';
import { serializeUntemplated } from '../render/yaml.ts';
import { toJsonValue } from '../traefik/config.ts';
import { ResponseBody } from './response-body.ts';
import type { RenderSummary } from './runtime-view.ts';

export const YAML_CONTENT_TYPE = 'application/yaml; charset=utf-8';

export type DeliveryFormat = 'yaml' | 'json';

export class DeliveryBodyCache {
  readonly #bodies = new WeakMap<RenderSummary, Map<DeliveryFormat, ResponseBody>>();

  constructor(private readonly generator: string) {}

  body(summary: RenderSummary, format: DeliveryFormat): ResponseBody {
    let bodies = this.#bodies.get(summary);
    if (!bodies) this.#bodies.set(summary, (bodies = new Map()));
    let body = bodies.get(format);
    if (!body) {
      const merged = mergeFragments(summary.fragments);
      body = new ResponseBody(
        format === 'json'
          ? `${JSON.stringify(toJsonValue(merged))}\n`
          : serializeUntemplated(merged, `Merged by ${this.generator} from ${summary.fragments.length} daemon(s) for Traefik's HTTP provider`),
      );
      bodies.set(format, body);
    }
    return body;
  }
}
