// Periodic work for every daemon of the host (heartbeat pings, periodic resyncs) on one timer: the
// interval is cut into turns of about a second, each daemon joins the turn with the fewest members,
// and the members of a turn run together. A thousand daemons pinged one by one, each on a timer of
// its own, cost three to four times the CPU of the same pings in batches (every wake-up of the event
// loop has a fixed price), and daemons that connected together would otherwise fire together.
// A turn starts its members a slice at a time, letting the event loop turn in between: a hundred
// pings started in one go held it for 3-4 ms, which every HTTP request arriving then waited for.

interface Member {
  readonly task: () => Promise<unknown>;
  running: boolean;
}

/** The longest a turn lasts: a daemon's first run comes within one interval of joining. */
const MAX_TURN_MS = 1000;

/** Members started in one go; the next slice waits for the event loop's next turn (setImmediate). */
const SLICE = 10;

export class Rota {
  readonly #turnMs: number;
  readonly #turns: Set<Member>[];
  #next = 0;
  #members = 0;
  #timer: ReturnType<typeof setInterval> | null = null;

  constructor(intervalMs: number) {
    // Turns that divide the interval exactly: each member runs every `intervalMs`, not more rarely.
    const count = Math.max(1, Math.ceil(intervalMs / MAX_TURN_MS));
    this.#turnMs = intervalMs / count;
    this.#turns = Array.from({ length: count }, () => new Set<Member>());
  }

  /**
   * Runs `task` once per interval, the first time within one interval, until the returned function
   * is called. A run still going when its turn comes again is not doubled: that turn is skipped.
   * The task handles its own failures (a rejection is ignored here).
   */
  join(task: () => Promise<unknown>): () => void {
    const member: Member = { task, running: false };
    const turn = this.#turns.reduce((least, candidate) => (candidate.size < least.size ? candidate : least));
    turn.add(member);
    this.#members++;
    this.#timer ??= setInterval(() => this.#tick(), this.#turnMs);
    return () => {
      if (!turn.delete(member)) return;
      this.#members--;
      if (this.#members === 0 && this.#timer !== null) {
        clearInterval(this.#timer);
        this.#timer = null;
      }
    };
  }

  #tick(): void {
    const turn = this.#turns[this.#next] as Set<Member>;
    this.#next = (this.#next + 1) % this.#turns.length;
    this.#start(turn, [...turn], 0);
  }

  #start(turn: Set<Member>, members: readonly Member[], from: number): void {
    const to = Math.min(members.length, from + SLICE);
    for (const member of members.slice(from, to)) {
      // A member that left while its turn was under way does not run.
      if (member.running || !turn.has(member)) continue;
      member.running = true;
      const done = () => {
        member.running = false;
      };
      member.task().then(done, done);
    }
    if (to < members.length) setImmediate(() => this.#start(turn, members, to));
  }
}
