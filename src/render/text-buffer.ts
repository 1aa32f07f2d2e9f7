// A string put together in one buffer of UTF-16 units and made once, at the end: the YAML
// writer's output. A string for every line, and an array to join them, cost the full render more
// to allocate and collect than writing the text does; and units copy into a string as they are,
// where UTF-8 bytes would be decoded (ten times slower for a fragment, whose header has a dash).

/** A buffer kept from one text to the next, up to a size most fragments fit in. */
let spare: Uint16Array | undefined;
const INITIAL_UNITS = 1 << 13;
const MAX_SPARE_UNITS = 1 << 19;

/** Buffer's 'utf16le' reads units little-endian, as a Uint16Array stores them on most hosts. */
const BIG_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;

export class TextBuffer {
  #units: Uint16Array;
  #length = 0;

  private constructor(units: Uint16Array) {
    this.#units = units;
  }

  /**
   * An empty text; it takes the spare buffer, so two texts at once never share one (a text never
   * finished, when the writer gives up, leaves the next to make a buffer of its own).
   */
  static start(): TextBuffer {
    const text = new TextBuffer(spare ?? new Uint16Array(INITIAL_UNITS));
    spare = undefined;
    return text;
  }

  put(text: string): void {
    const length = this.#length;
    if (length + text.length > this.#units.length) this.#grow(text.length);
    const units = this.#units;
    for (let i = 0; i < text.length; i++) units[length + i] = text.charCodeAt(i);
    this.#length = length + text.length;
  }

  /** The text as a string (one byte a character when all fit); the buffer goes back to be the spare. */
  finish(): string {
    const bytes = Buffer.from(this.#units.buffer, this.#units.byteOffset, 2 * this.#length);
    if (BIG_ENDIAN) bytes.swap16();
    const text = bytes.toString('utf16le');
    if (this.#units.length <= MAX_SPARE_UNITS) spare = this.#units;
    return text;
  }

  #grow(needed: number): void {
    const units = new Uint16Array(Math.max(2 * this.#units.length, this.#length + needed));
    units.set(this.#units.subarray(0, this.#length));
    this.#units = units;
  }
}
