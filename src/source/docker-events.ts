// The Docker `/events` stream, reduced to what changes routing: container lifecycle events.
// The daemon filters by type and action (checked against dockerd 20.10: `event: ["health_status"]`
// matches `health_status: healthy`, and exec_* events of health checks are dropped), and the same
// filter is applied again here, so a socket proxy or daemon that ignores filters cannot flood us.

export const CONTAINER_ACTIONS = [
  'start',
  'die',
  'stop',
  'kill',
  'pause',
  'unpause',
  'rename',
  'destroy',
  'health_status',
] as const;

export type ContainerAction = (typeof CONTAINER_ACTIONS)[number];

export interface ContainerEvent {
  readonly containerId: string;
  readonly action: ContainerAction;
}

/** The `filters` query of `GET /events`. */
export const CONTAINER_EVENT_FILTERS: { readonly type: string[]; readonly event: string[] } = {
  type: ['container'],
  event: [...CONTAINER_ACTIONS],
};

const ACTIONS: ReadonlySet<string> = new Set(CONTAINER_ACTIONS);

/** One line of the stream → a container event, or null for anything else (other types, noise). */
export function parseContainerEvent(line: string): ContainerEvent | null {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof message !== 'object' || message === null) return null;
  const { Type, Action, Actor } = message as { Type?: unknown; Action?: unknown; Actor?: { ID?: unknown } };
  if (Type !== 'container' || typeof Action !== 'string') return null;
  // `health_status: healthy`, `exec_start: sh -c …`: the action is the part before the colon.
  const action = Action.split(':', 1)[0]!.trim();
  const containerId = Actor?.ID;
  if (!ACTIONS.has(action) || typeof containerId !== 'string' || containerId === '') return null;
  return { containerId, action: action as ContainerAction };
}

/** Splits a text stream into lines across chunk boundaries (the stream is newline-delimited JSON). */
export class LineSplitter {
  #rest = '';

  push(chunk: string): string[] {
    const text = this.#rest + chunk;
    const lines = text.split('\n');
    this.#rest = lines.pop() ?? '';
    return lines.filter((line) => line.trim() !== '');
  }
}
