// Where a capture body's bytes go while it is read. Each socket read arrives as its own malloc'd
// chunk of up to 64 KiB; held until the body ended and then concatenated, a burst of big uploads
// left those chunks scattered through the process's heap, where glibc cannot give the freed space
// back: a capture-only process stayed 110 MiB over idle 30 s after 512 concurrent 1 MiB uploads
// (docs/benchmarks.md, "Kept: a big body is copied into one buffer as it arrives").
//
// A body whose Content-Length is COPY_FROM_BYTES or more is instead copied as it arrives into one
// buffer, big enough to be mapped on its own by glibc (with the fixed mmap threshold of
// scripts/server-env.mjs) and unmapped when it is freed: each chunk is garbage at once. The buffer
// is allocated when the first bytes arrive, at MIN_CAPACITY_BYTES or four times what has arrived,
// and grows fourfold (straight to the declared length once that is within four times what has
// arrived), never past the declared length. So the address space set aside for bytes not yet sent
// is at most max(MIN_CAPACITY_BYTES, 3 × the bytes received) per connection, its pages touched
// only as bytes arrive, and a declared length alone reserves nothing. Chunked bodies are kept as
// chunks.
// The price of giving the memory back: a 1 MiB capture costs 22–30% more server CPU (its pages
// are faulted in afresh; docs/benchmarks.md). Bodies under COPY_FROM_BYTES are not copied.
import "server-only";

/** Bodies declared at least this long are copied into one growing buffer. */
export const COPY_FROM_BYTES = 128 * 1024;
/** The least that buffer's first allocation is. */
export const MIN_CAPACITY_BYTES = 256 * 1024;

function allocate(bytes: number): Buffer | null {
  try {
    return Buffer.allocUnsafeSlow(bytes);
  } catch {
    return null; // no address space for it (strict overcommit): keep chunks instead
  }
}

export class BodyBuffer {
  private chunks: Buffer[] = [];
  private whole: Buffer | null = null;
  /** The declared length while the body may still be copied into `whole`; null once it is kept as chunks. */
  private copyTo: number | null;
  private size = 0;

  /** `declared`: the Content-Length, if any (the caller has refused one over its cap). */
  constructor(declared: number | null) {
    this.copyTo = declared !== null && declared >= COPY_FROM_BYTES ? declared : null;
  }

  /** Bytes of the buffer the body is being copied into (0 before the first bytes, or when it is kept as chunks). */
  get capacity(): number {
    return this.whole?.length ?? 0;
  }

  get length(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    const at = this.size;
    this.size += chunk.length;
    if (this.copyTo !== null && this.size > this.capacity) this.grow(this.copyTo, at);
    if (this.whole) chunk.copy(this.whole, at);
    else this.chunks.push(chunk);
  }

  /** Moves the `at` bytes copied so far into a bigger buffer; past the declared length (which
   *  node's parser does not let happen), or with no room to grow, goes on in chunks. */
  private grow(declared: number, at: number): void {
    const cap = this.capacity;
    const next = cap === 0 ? Math.max(MIN_CAPACITY_BYTES, 4 * this.size) : declared <= 4 * this.size ? declared : 4 * cap;
    const bigger = this.size <= declared ? allocate(Math.min(declared, Math.max(next, this.size))) : null;
    if (bigger) this.whole?.copy(bigger, 0, 0, at);
    else {
      if (this.whole) this.chunks.push(this.whole.subarray(0, at));
      this.copyTo = null;
    }
    this.whole = bigger;
  }

  /** Forgets everything held (a body over its cap). */
  drop(): void {
    this.chunks = [];
    this.whole = null;
    this.copyTo = null;
    this.size = 0;
  }

  /** The body read so far, as one buffer. */
  body(): Buffer {
    if (this.whole) return this.whole.subarray(0, this.size);
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
  }
}
