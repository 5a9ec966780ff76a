// A gzipped POSIX tar (ustar) of a few in-memory files: what npm installs from a tarball URL.
// Written here rather than with a tar library: we only ever write, a handful of small files with
// short names, and the format for that is a 512-byte header per file (tested by extracting with
// the system's tar in test/cli-package.test.ts).
import "server-only";
import zlib from "node:zlib";

export interface TarFile {
  /** Path inside the archive (npm expects everything under `package/`), at most 100 bytes. */
  name: string;
  body: Buffer;
  /** Unix permission bits, e.g. 0o644 or 0o755 for an executable. */
  mode: number;
}

const BLOCK = 512;

/** One ustar header block; numeric fields are NUL-terminated octal as tar writes them. */
function header(file: TarFile, mtime: number): Buffer {
  const name = Buffer.from(file.name, "utf8");
  if (name.length > 100) throw new Error(`tar entry name longer than 100 bytes: ${file.name}`);
  const h = Buffer.alloc(BLOCK);
  const octal = (value: number, offset: number, width: number) =>
    h.write(value.toString(8).padStart(width - 1, "0") + "\0", offset, "ascii");
  name.copy(h, 0);
  octal(file.mode, 100, 8);
  octal(0, 108, 8); // uid
  octal(0, 116, 8); // gid
  octal(file.body.length, 124, 12);
  octal(mtime, 136, 12);
  h.fill(" ", 148, 156); // the checksum is summed with its own field as spaces
  h.write("0", 156, "ascii"); // a regular file
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148, "ascii");
  return h;
}

/** The files as a .tgz; the same files and mtime always give the same bytes. */
export function tgz(files: TarFile[], mtime: number): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    parts.push(header(f, mtime), f.body, Buffer.alloc((BLOCK - (f.body.length % BLOCK)) % BLOCK));
  }
  parts.push(Buffer.alloc(BLOCK * 2)); // end of archive
  return zlib.gzipSync(Buffer.concat(parts), { level: 9 });
}
