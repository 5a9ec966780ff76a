// Where a capture body's bytes go while it is read. Each socket read arrives as its own malloc'd
// chunk of up to 64 KiB; held until the body ended and then concatenated, a burst of big uploads
// left those chunks scattered through the process's heap, where glibc cannot give the freed space
// back: a capture-only process stayed 110 MiB over idle 30 s after 512 concurrent 1 MiB uploads
// (docs/benchmarks.md, "Memory bounded under any upload mix").
//
// A body that declares a length of PREALLOCATE_BYTES or more is instead copied as it arrives into
// one buffer, big enough to be mapped on its own by glibc (scripts/server-env.mjs) and unmapped
// when it is freed: each chunk is garbage at once, and the final copy into one body is saved.
// The buffer starts at FIRST_BYTES and grows fourfold up to the declared length, so a declared
// length that never comes costs a connection at most FIRST_BYTES of address space (the pages are
// touched only as bytes arrive), and V8 is never told of gigabytes that no one sent. Most big
// webhook bodies are under FIRST_BYTES and take one allocation. The price of giving the memory
// back: a 1 MiB capture costs 15–25% more CPU (its pages are faulted in afresh), measured in
// docs/benchmarks.md with the settings that would keep the heap and miss the memory target.
import "server-only";

/** Bodies declared at least this long are copied into one growing buffer. */
export const PREALLOCATE_BYTES = 128 * 1024;
/** The first allocation for such a body. */
export const FIRST_BYTES = 1024 * 1024;

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
  private size = 0;

  /** `declared`: the Content-Length, if any (the caller has refused one over its cap). A body
   *  that turns out longer (a chunked one with a Content-Length too) is kept whole all the same. */
  constructor(private readonly declared: number | null) {
    if (declared !== null && declared >= PREALLOCATE_BYTES) this.whole = allocate(Math.min(declared, FIRST_BYTES));
  }

  /** Bytes of the buffer the body is being copied into (0 when it is kept as chunks). */
  get capacity(): number {
    return this.whole?.length ?? 0;
  }

  get length(): number {
    return this.size;
  }

  push(chunk: Buffer): void {
    const at = this.size;
    this.size += chunk.length;
    if (this.whole && this.size > this.whole.length) {
      // Grow fourfold (at most to the declared length); past the declared length, or with no room
      // to grow, keep what was copied as the first chunk and go on in chunks.
      const want = Math.min(this.declared ?? 0, Math.max(this.size, this.whole.length * 4));
      const bigger = want >= this.size ? allocate(want) : null;
      if (bigger) this.whole.copy(bigger, 0, 0, at);
      else this.chunks.push(this.whole.subarray(0, at));
      this.whole = bigger;
    }
    if (this.whole) chunk.copy(this.whole, at);
    else this.chunks.push(chunk);
  }

  /** Forgets everything held (a body over its cap). */
  drop(): void {
    this.chunks = [];
    this.whole = null;
    this.size = 0;
  }

  /** The body read so far, as one buffer. */
  body(): Buffer {
    if (this.whole) return this.whole.subarray(0, this.size);
    return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.size);
  }
}
