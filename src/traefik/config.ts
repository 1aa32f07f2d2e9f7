// Dynamic configuration as plain data with Traefik's canonical field names. Integers are bigint so
// that 64-bit values survive exactly; durations stay the text the user wrote (already validated).
// No object inherits anything: a router named `__proto__` is just a name.

export type ConfigScalar = string | boolean | bigint;
export type ConfigValue = ConfigScalar | ConfigValue[] | ConfigObject;
export interface ConfigObject {
  [key: string]: ConfigValue;
}

/**
 * The prototype of every config object: empty, frozen and without a prototype of its own, so no key
 * (`__proto__`, `toString`) means anything but itself. Not `Object.create(null)` for the objects
 * themselves: V8 keeps those as hash tables (about four times the memory of a plain object), and a
 * render keeps tens of thousands of them.
 */
export const CONFIG_PROTOTYPE: object = Object.freeze(Object.create(null) as object);

/** An object of Traefik's fields (a router, a load balancer, `tls`): its keys come from the field table. */
export function emptyObject(): ConfigObject {
  return Object.create(CONFIG_PROTOTYPE) as ConfigObject;
}

/**
 * An object keyed by names the tenants choose (routers, services, middlewares, headers, a plugin's
 * settings): created without a prototype, which V8 keeps as a hash table from the start. A plain
 * object gets a hidden class (and a list of its keys) for every new sequence of keys, kept in a
 * tree under the first: with names that differ from daemon to daemon (every fragment's are
 * `{name}-{id}`) a render made ten thousand of them and searched that tree on every store.
 */
export function emptyMap(): ConfigObject {
  return Object.create(null) as ConfigObject;
}

export function isConfigObject(value: unknown): value is ConfigObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether the object has a key of its own. A for-in, not `Object.keys(...).length`: it makes no
 * list of the keys (none at all for an object V8 keeps with a hidden class), and the renders ask
 * it of tens of thousands of objects. Inherited keys are skipped, whatever the prototype.
 */
export function hasKeys(object: ConfigObject): boolean {
  for (const key in object) if (Object.prototype.hasOwnProperty.call(object, key)) return true;
  return false;
}

/** Own property read that never walks a prototype. */
export function own(object: ConfigObject | undefined, key: string): ConfigValue | undefined {
  return object !== undefined && Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
}

export function ownObject(object: ConfigObject | undefined, key: string): ConfigObject | undefined {
  const value = own(object, key);
  return isConfigObject(value) ? value : undefined;
}

export function ownString(object: ConfigObject | undefined, key: string): string | undefined {
  const value = own(object, key);
  return typeof value === 'string' ? value : undefined;
}

export function ownStrings(object: ConfigObject | undefined, key: string): string[] | undefined {
  const value = own(object, key);
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : undefined;
}

/** Child object of fields, created when missing. */
export function ensureObject(object: ConfigObject, key: string): ConfigObject {
  return ownObject(object, key) ?? (object[key] = emptyObject());
}

/** Child object keyed by names (see emptyMap), created when missing. */
export function ensureMap(object: ConfigObject, key: string): ConfigObject {
  return ownObject(object, key) ?? (object[key] = emptyMap());
}

/** A deep copy, keys in the same order, each object of the same kind (fields or names). */
export function copyConfig<T extends ConfigValue>(value: T): T {
  if (Array.isArray(value)) return value.map(copyConfig) as T;
  if (!isConfigObject(value)) return value;
  const copy = Object.getPrototypeOf(value) === null ? emptyMap() : emptyObject();
  for (const key of Object.keys(value)) copy[key] = copyConfig(value[key] as ConfigValue);
  return copy as T;
}

/** Structural equality (Go's reflect.DeepEqual on the decoded values). */
export function configEqual(a: ConfigValue | undefined, b: ConfigValue | undefined): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => configEqual(item, b[i]));
  }
  if (isConfigObject(a) && isConfigObject(b)) {
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((key) => Object.prototype.hasOwnProperty.call(b, key) && configEqual(a[key], b[key]));
  }
  return false;
}

/** JSON view for `render --format json` and the HTTP API: bigints that fit become numbers. */
export function toJsonValue(value: ConfigValue): unknown {
  if (typeof value === 'bigint') {
    return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(value) : value.toString();
  }
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (isConfigObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      Object.defineProperty(out, key, { value: toJsonValue(value[key] as ConfigValue), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  return value;
}
