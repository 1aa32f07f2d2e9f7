// Bounds on what one tenant's labels may ask of the render. Traefik has none of these; they sit far
// above what a real configuration needs, so that a hostile or broken container costs at most a
// bounded amount of work and is skipped with a diagnostic instead of stalling every tenant.
// README "Isolation between tenants" lists them; change both together.

/** Labels route-server reads (`traefik.*`, `rediacc.*`) on one container. */
export const MAX_LABELS_PER_CONTAINER = 1_000;
/** Dot-separated segments of one label key (`traefik.http.routers.web.rule` has 5). */
export const MAX_LABEL_KEY_SEGMENTS = 64;
/** Characters of one label value (UTF-16 units, as JavaScript counts them). */
export const MAX_LABEL_VALUE_LENGTH = 65_536;
/** Characters of one router rule. */
export const MAX_RULE_LENGTH = 32_768;
/** Parentheses and `!` nested inside one rule. */
export const MAX_RULE_NESTING = 100;
/** Matcher calls in one rule. */
export const MAX_RULE_MATCHERS = 1_000;
/**
 * Estimated regexp program size (Go's instructions) of one rule, and of all rules of one daemon:
 * checking a regexp costs ~3-7 µs per instruction, and `a{1000}` is a thousand of them.
 */
export const MAX_RULE_REGEXP_INSTRUCTIONS = 50_000;
export const MAX_DAEMON_REGEXP_INSTRUCTIONS = 100_000;
/** Chain middlewares nested inside each other (a chain of plain middlewares has depth 1). */
export const MAX_CHAIN_DEPTH = 16;
/**
 * Times the host contest runs again after routers were refused for their certificates (each run
 * hands the hosts they gave up to the next claimant). Past it, refused routers give their hosts up
 * to nobody, so a cascade across many daemons costs a bounded number of contests.
 */
export const MAX_OWNERSHIP_ROUNDS = 8;
/**
 * Shortest health-check interval (and unhealthy interval) a tenant may set, in seconds. Traefik
 * accepts any positive duration and checks again as soon as the last check ends: `1ns` makes it
 * hammer the backend and write a warning per failed check into the log every tenant shares.
 */
export const MIN_HEALTH_CHECK_INTERVAL_SECONDS = 1;
/**
 * Bytes of one request or response body a tenant's middleware may make Traefik hold in memory
 * (forwardAuth's `maxResponseBodySize` and `maxBodySize`, retry's `maxRequestBodyBytes`,
 * buffering's `mem*BodyBytes`). Traefik allocates such a limit up front for each request, and
 * reads without limit when it is negative or, for forwardAuth, unset: one request could take all
 * its memory, and a failed allocation ends the process every tenant's traffic goes through.
 */
export const MAX_MIDDLEWARE_BODY_BYTES = 10 * 1024 * 1024;
/**
 * What an unset forwardAuth limit is written as. Traefik allocates the limit (plus one byte) for
 * every request through the middleware, whatever the body's size, so writing the 10 MiB bound
 * would make every authenticated request cost 10 MiB. An auth answer is headers and a short body
 * (64 KiB); a request body forwarded to the auth server (`forwardBody`), 1 MiB. A tenant that needs
 * more sets the field, up to MAX_MIDDLEWARE_BODY_BYTES.
 */
export const UNSET_AUTH_RESPONSE_BYTES = 64 * 1024;
export const UNSET_AUTH_REQUEST_BYTES = 1024 * 1024;
/**
 * Distinct literal hosts (`Host`, `HostSNI`) the routers of one daemon may claim. Each one is owned
 * against every other tenant, asks for a certificate by SNI, and is published to the fleet edge as
 * four Redis keys that every edge Traefik lists on each change: one daemon with 100,000 names would
 * squat them all and stall the edge of every host in the fleet.
 */
export const MAX_DAEMON_HOSTS = 1_000;
/**
 * Bytes of one response the buffering middleware may write to Traefik's disk. Unset (0) is no
 * limit, and the tenant's own backend can send an endless response over loopback: the disk of the
 * host fills, and every tenant's Traefik with it.
 */
export const MAX_BUFFERED_RESPONSE_BYTES = 100 * 1024 * 1024;
