/**
 * One series' daily values packed in the narrowest exact form: most daily unit sales are small
 * whole numbers, which one byte a day holds, where eight were spent (issue 17: the history cache
 * holds three years of them and is read every night). The first byte says the
 * form; the days follow. Whatever the form, unpacking gives back the very same numbers.
 */

type DayArray = Float64Array | Uint8Array | Int8Array | Int16Array | Int32Array;

interface Form {
  make: (values: Float64Array) => DayArray;
  view: (buffer: ArrayBuffer, byteOffset: number, length: number) => DayArray;
  width: number;
  /** Whole numbers in [min, max]; Float64 (no bounds) holds anything. */
  min: number;
  max: number;
}

// The index is the form's byte in a packed series: never reorder, only append.
const FORMS: readonly Form[] = [
  {
    make: (v) => v,
    view: (b, o, n) => new Float64Array(b, o, n),
    width: 8,
    min: Number.NaN,
    max: Number.NaN,
  },
  {
    make: (v) => Uint8Array.from(v),
    view: (b, o, n) => new Uint8Array(b, o, n),
    width: 1,
    min: 0,
    max: 0xff,
  },
  {
    make: (v) => Int8Array.from(v),
    view: (b, o, n) => new Int8Array(b, o, n),
    width: 1,
    min: -0x80,
    max: 0x7f,
  },
  {
    make: (v) => Int16Array.from(v),
    view: (b, o, n) => new Int16Array(b, o, n),
    width: 2,
    min: -0x8000,
    max: 0x7fff,
  },
  {
    make: (v) => Int32Array.from(v),
    view: (b, o, n) => new Int32Array(b, o, n),
    width: 4,
    min: -0x80000000,
    max: 0x7fffffff,
  },
];

export function packDays(values: Float64Array): Buffer {
  const index = narrowestForm(values);
  const body = (FORMS[index] as Form).make(values);
  const packed = Buffer.alloc(1 + body.byteLength);
  packed[0] = index;
  packed.set(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), 1);
  return packed;
}

/**
 * Series packed one after the other, as packDays packs each, into one buffer whose first `head`
 * bytes are left for the caller: `starts` has each series' first byte, and the end. A block of
 * the history cache holds 10,000 series: one buffer each, then a copy of them all, cost the
 * thread that stores a first night's cache more than its SQLite writes.
 */
export function packSeries(
  series: readonly Float64Array[],
  head: number,
): { packed: Buffer; starts: Uint32Array } {
  const forms = Uint8Array.from(series, narrowestForm);
  const starts = new Uint32Array(series.length + 1);
  let at = head;
  series.forEach((values, i) => {
    starts[i] = at;
    at += 1 + values.length * (FORMS[forms[i] as number] as Form).width;
  });
  starts[series.length] = at;
  // Its own ArrayBuffer, at offset 0: the caller may lay aligned views over the head.
  const packed = Buffer.from(new ArrayBuffer(at));
  for (const [i, values] of series.entries())
    packInto(values, forms[i] as number, packed, starts[i] as number);
  return { packed, starts };
}

/** packDays' bytes for `values` in `form`, written into `into` from `at`. */
function packInto(values: Float64Array, form: number, into: Uint8Array, at: number): void {
  into[at] = form;
  const { width, make } = FORMS[form] as Form;
  // One byte a day (most series): a Uint8Array stores v modulo 256, the byte of v in the
  // unsigned form as in the signed one (two's complement).
  if (width === 1) for (let d = 0; d < values.length; d++) into[at + 1 + d] = values[d] as number;
  else {
    const body = make(values);
    into.set(new Uint8Array(body.buffer, body.byteOffset, body.byteLength), at + 1);
  }
}

/** The number of days a packed series holds (an empty buffer holds none). */
export function packedLength(packed: Uint8Array): number {
  if (packed.byteLength === 0) return 0;
  return (packed.byteLength - 1) / formOf(packed).width;
}

/**
 * Days [from, from + into.length) of a packed series, written into `into`; days the series does
 * not hold are left as they are.
 */
export function unpackDays(packed: Uint8Array, from: number, into: Float64Array): void {
  const count = Math.max(0, Math.min(into.length, packedLength(packed) - from));
  if (count === 0) return;
  const form = formOf(packed);
  // A Buffer from SQLite may sit at any offset of a shared pool, where a view wider than a
  // byte cannot: its bytes are copied into aligned memory first.
  const bytes = packed.subarray(1 + from * form.width, 1 + (from + count) * form.width);
  const aligned = bytes.byteOffset % form.width === 0 ? bytes : new Uint8Array(bytes);
  into.set(form.view(aligned.buffer as ArrayBuffer, aligned.byteOffset, count));
}

function formOf(packed: Uint8Array): Form {
  const form = FORMS[packed[0] as number];
  if (!form || (packed.byteLength - 1) % form.width !== 0)
    throw new Error(`unreadable packed series (form ${packed[0]}, ${packed.byteLength} bytes)`);
  return form;
}

function narrowestForm(values: Float64Array): number {
  let min = 0;
  let max = 0;
  for (const value of values) {
    // -0 stays as it was read: only a Float64 holds it.
    if (!Number.isInteger(value) || Object.is(value, -0)) return 0;
    if (value < min) min = value;
    else if (value > max) max = value;
  }
  const index = FORMS.findIndex((form) => min >= form.min && max <= form.max);
  return index === -1 ? 0 : index;
}
