/**
 * A small GGUF (version 3) writer, so tests can build real model files that llama.cpp loads
 * without downloading anything.
 *
 * Layout written: "GGUF", uint32 version, uint64 tensor count, uint64 key/value count, the
 * key/values, the tensor infos, zero padding to the alignment, then each tensor's data padded to
 * the alignment. Everything is little-endian. The file is built in memory: the models this is for
 * are a few megabytes.
 */
import {
  GGML_MAX_DIMS,
  GGML_MAX_NAME,
  GGML_TYPES,
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GGUF_VALUE_TYPES,
  alignUp,
  type GgmlTypeName,
  type GgufBigIntTypeName,
  type GgufNumberTypeName,
  type GgufScalarTypeName,
  type GgufScalarValue,
} from "./gguf-header";

export type GgufArrayValue =
  | { type: "array"; itemType: GgufNumberTypeName; items: ArrayLike<number> }
  | { type: "array"; itemType: GgufBigIntTypeName; items: ArrayLike<bigint> }
  | { type: "array"; itemType: "bool"; items: ArrayLike<boolean> }
  | { type: "array"; itemType: "string"; items: ArrayLike<string> };

export type GgufWriteValue = GgufScalarValue | GgufArrayValue;

const utf8 = new TextEncoder();

/** Shorthands for metadata values, since a JS number alone does not say which GGUF type it is. */
export const gguf = {
  u32: (value: number): GgufWriteValue => ({ type: "uint32", value }),
  i32: (value: number): GgufWriteValue => ({ type: "int32", value }),
  f32: (value: number): GgufWriteValue => ({ type: "float32", value }),
  bool: (value: boolean): GgufWriteValue => ({ type: "bool", value }),
  str: (value: string): GgufWriteValue => ({ type: "string", value }),
  strings: (items: ArrayLike<string>): GgufWriteValue => ({ type: "array", itemType: "string", items }),
  f32s: (items: ArrayLike<number>): GgufWriteValue => ({ type: "array", itemType: "float32", items }),
  i32s: (items: ArrayLike<number>): GgufWriteValue => ({ type: "array", itemType: "int32", items }),
  u32s: (items: ArrayLike<number>): GgufWriteValue => ({ type: "array", itemType: "uint32", items }),
};

/** Tensor types this writer can encode from float values. */
export type EncodableTensorType = "F32" | "F16" | "Q8_0" | "Q4_0";

export type GgufTensorInput =
  | {
      name: string;
      /** Innermost first: dims[0] is the row length. */
      dims: readonly number[];
      type: EncodableTensorType;
      values: Float32Array;
    }
  | {
      name: string;
      dims: readonly number[];
      type: GgmlTypeName;
      /** Data already in the type's block format. */
      data: Uint8Array;
    };

export type GgufFileSpec = {
  metadata: Readonly<Record<string, GgufWriteValue>>;
  tensors: readonly GgufTensorInput[];
  /** Defaults to 32; any other value is recorded as general.alignment. */
  alignment?: number;
  /** 3 unless a test needs a version 2 file (same layout). */
  version?: number;
};

/** Builds a complete GGUF file. */
export function writeGguf(spec: GgufFileSpec): Uint8Array {
  const alignment = spec.alignment ?? GGUF_DEFAULT_ALIGNMENT;
  if (alignment <= 0 || (alignment & (alignment - 1)) !== 0) {
    throw new Error(`alignment ${alignment} is not a power of two`);
  }
  const metadata = withAlignment(spec.metadata, alignment);
  const payloads = spec.tensors.map(encodeTensorInput);

  const sink = new ByteSink();
  sink.bytes(utf8.encode(GGUF_MAGIC));
  sink.u32(spec.version ?? 3);
  sink.u64(spec.tensors.length);
  sink.u64(Object.keys(metadata).length);
  for (const [key, value] of Object.entries(metadata)) writeKeyValue(sink, key, value);

  let offset = 0;
  spec.tensors.forEach((tensor, i) => {
    writeTensorInfo(sink, tensor, offset);
    offset = alignUp(offset + (payloads[i]?.length ?? 0), alignment);
  });

  sink.padTo(alignment);
  for (const payload of payloads) {
    sink.bytes(payload);
    sink.padTo(alignment);
  }
  return sink.result();
}

function withAlignment(
  metadata: Readonly<Record<string, GgufWriteValue>>,
  alignment: number,
): Record<string, GgufWriteValue> {
  const given = metadata["general.alignment"];
  if (given !== undefined) {
    if (given.type !== "uint32" || given.value !== alignment) {
      throw new Error("general.alignment must be the uint32 alignment option");
    }
    return { ...metadata };
  }
  return alignment === GGUF_DEFAULT_ALIGNMENT
    ? { ...metadata }
    : { ...metadata, "general.alignment": gguf.u32(alignment) };
}

function writeKeyValue(sink: ByteSink, key: string, value: GgufWriteValue): void {
  sink.string(key);
  sink.u32(GGUF_VALUE_TYPES[value.type]);
  if (value.type !== "array") {
    writeScalar(sink, value.type, value.value);
    return;
  }
  sink.u32(GGUF_VALUE_TYPES[value.itemType]);
  sink.u64(value.items.length);
  for (let i = 0; i < value.items.length; i++)
    writeScalar(sink, value.itemType, value.items[i] as GgufScalarValue["value"]);
}

function writeScalar(sink: ByteSink, type: GgufScalarTypeName, value: GgufScalarValue["value"]): void {
  switch (type) {
    case "string":
      return sink.string(String(value));
    case "bool":
      return sink.u8(value ? 1 : 0);
    case "uint64":
    case "int64":
      return sink.bigint(type, BigInt(value as bigint));
    default:
      return sink.number(type, Number(value));
  }
}

function writeTensorInfo(sink: ByteSink, tensor: GgufTensorInput, offset: number): void {
  sink.string(tensor.name);
  sink.u32(tensor.dims.length);
  for (const dim of tensor.dims) sink.u64(dim);
  sink.u32(GGML_TYPES[tensor.type].id);
  sink.u64(offset);
}

function encodeTensorInput(tensor: GgufTensorInput): Uint8Array {
  checkTensorShape(tensor);
  const expectedBytes = tensorBytes(tensor.type, tensor.dims);
  const data = "values" in tensor ? encodeTensor(tensor.values, tensor.type) : tensor.data;
  if (data.length !== expectedBytes) {
    throw new Error(`tensor ${tensor.name}: ${data.length} bytes of data, expected ${expectedBytes}`);
  }
  return data;
}

function checkTensorShape(tensor: GgufTensorInput): void {
  const { name, dims, type } = tensor;
  if (utf8.encode(name).length >= GGML_MAX_NAME) throw new Error(`tensor name ${name} is too long`);
  if (dims.length < 1 || dims.length > GGML_MAX_DIMS) {
    throw new Error(`tensor ${name} has ${dims.length} dimensions`);
  }
  if (dims.some((dim) => !Number.isSafeInteger(dim) || dim < 1)) {
    throw new Error(`tensor ${name} has invalid dimensions ${dims.join("x")}`);
  }
  const block = GGML_TYPES[type].blockValues;
  if ((dims[0] ?? 0) % block !== 0) {
    throw new Error(`tensor ${name}: rows of ${dims[0]} values do not fill ${type} blocks of ${block}`);
  }
  if ("values" in tensor && tensor.values.length !== elementCount(dims)) {
    throw new Error(`tensor ${name}: ${tensor.values.length} values for dimensions ${dims.join("x")}`);
  }
}

function elementCount(dims: readonly number[]): number {
  return dims.reduce((product, dim) => product * dim, 1);
}

function tensorBytes(type: GgmlTypeName, dims: readonly number[]): number {
  const layout = GGML_TYPES[type];
  return (elementCount(dims) / layout.blockValues) * layout.blockBytes;
}

/** Encodes float values (a whole number of blocks) in one of the supported tensor types. */
export function encodeTensor(values: Float32Array, type: EncodableTensorType): Uint8Array {
  switch (type) {
    case "F32":
      return new Uint8Array(Float32Array.from(values).buffer);
    case "F16":
      return encodeF16(values);
    case "Q8_0":
      return encodeQ8_0(values);
    case "Q4_0":
      return encodeQ4_0(values);
  }
}

/** Decodes tensor data back to floats; the inverse of encodeTensor up to quantization error. */
export function decodeTensor(data: Uint8Array, type: EncodableTensorType): Float32Array {
  switch (type) {
    case "F32":
      // Copy first: `data` may be a Buffer view at an unaligned offset into a larger pool.
      return new Float32Array(new Uint8Array(data).buffer);
    case "F16":
      return decodeF16(data);
    case "Q8_0":
      return decodeQ8_0(data);
    case "Q4_0":
      return decodeQ4_0(data);
  }
}

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/** IEEE half-precision bits of a float, rounding to nearest even like ggml's conversion. */
export function toF16Bits(value: number): number {
  f32Scratch[0] = value;
  const bits = u32Scratch[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent <= 0) return sign | subnormalF16(mantissa | 0x800000, 14 - halfExponent);
  const half = (halfExponent << 10) | (mantissa >>> 13);
  const rest = mantissa & 0x1fff;
  // A carry out of the mantissa correctly bumps the exponent (up to infinity).
  const roundUp = rest > 0x1000 || (rest === 0x1000 && (half & 1) === 1);
  return sign | (half + (roundUp ? 1 : 0));
}

function subnormalF16(significand: number, shift: number): number {
  if (shift > 24) return 0;
  const half = significand >>> shift;
  const rest = significand & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  const roundUp = rest > halfway || (rest === halfway && (half & 1) === 1);
  return half + (roundUp ? 1 : 0);
}

export function fromF16Bits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

export function encodeF16(values: Float32Array): Uint8Array {
  const out = new Uint8Array(values.length * 2);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => view.setUint16(i * 2, toF16Bits(value), true));
  return out;
}

export function decodeF16(data: Uint8Array): Float32Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const out = new Float32Array(data.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = fromF16Bits(view.getUint16(i * 2, true));
  return out;
}

const QK = 32;
const Q8_0_BLOCK_BYTES = GGML_TYPES.Q8_0.blockBytes;
const Q4_0_BLOCK_BYTES = GGML_TYPES.Q4_0.blockBytes;

function checkWholeBlocks(values: Float32Array, type: string): number {
  if (values.length % QK !== 0) {
    throw new Error(`${type} needs a multiple of ${QK} values, got ${values.length}`);
  }
  return values.length / QK;
}

/** Q8_0: per block of 32, an f16 scale d = max|x| / 127 and 32 int8 q; x ≈ q * d. */
export function encodeQ8_0(values: Float32Array): Uint8Array {
  const blocks = checkWholeBlocks(values, "Q8_0");
  const out = new Uint8Array(blocks * Q8_0_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const block = values.subarray(b * QK, (b + 1) * QK);
    const scale = maxAbs(block) / 127;
    const inverse = scale === 0 ? 0 : 1 / scale;
    const at = b * Q8_0_BLOCK_BYTES;
    view.setUint16(at, toF16Bits(scale), true);
    block.forEach((value, j) => view.setInt8(at + 2 + j, Math.round(value * inverse)));
  }
  return out;
}

export function decodeQ8_0(data: Uint8Array): Float32Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const blocks = data.length / Q8_0_BLOCK_BYTES;
  const out = new Float32Array(blocks * QK);
  for (let b = 0; b < blocks; b++) {
    const at = b * Q8_0_BLOCK_BYTES;
    const scale = fromF16Bits(view.getUint16(at, true));
    for (let j = 0; j < QK; j++) out[b * QK + j] = view.getInt8(at + 2 + j) * scale;
  }
  return out;
}

/**
 * Q4_0: per block of 32, an f16 scale d and 16 bytes of 4-bit q; x ≈ (q - 8) * d. Byte j holds
 * value j in its low nibble and value j + 16 in its high nibble. As in ggml, d = m / -8 where m is
 * the value of largest magnitude, so m itself is exact (q = 0) and the other side gets 7 steps.
 */
export function encodeQ4_0(values: Float32Array): Uint8Array {
  const blocks = checkWholeBlocks(values, "Q4_0");
  const out = new Uint8Array(blocks * Q4_0_BLOCK_BYTES);
  const view = new DataView(out.buffer);
  for (let b = 0; b < blocks; b++) {
    const block = values.subarray(b * QK, (b + 1) * QK);
    const scale = signedMaxAbs(block) / -8;
    const inverse = scale === 0 ? 0 : 1 / scale;
    const at = b * Q4_0_BLOCK_BYTES;
    view.setUint16(at, toF16Bits(scale), true);
    for (let j = 0; j < QK / 2; j++) {
      const low = nibble((block[j] ?? 0) * inverse);
      const high = nibble((block[j + QK / 2] ?? 0) * inverse);
      out[at + 2 + j] = low | (high << 4);
    }
  }
  return out;
}

function nibble(scaled: number): number {
  return Math.min(15, Math.max(0, Math.trunc(scaled + 8.5)));
}

export function decodeQ4_0(data: Uint8Array): Float32Array {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const blocks = data.length / Q4_0_BLOCK_BYTES;
  const out = new Float32Array(blocks * QK);
  for (let b = 0; b < blocks; b++) {
    const at = b * Q4_0_BLOCK_BYTES;
    const scale = fromF16Bits(view.getUint16(at, true));
    for (let j = 0; j < QK / 2; j++) {
      const byte = data[at + 2 + j] ?? 0;
      out[b * QK + j] = ((byte & 0x0f) - 8) * scale;
      out[b * QK + j + QK / 2] = ((byte >>> 4) - 8) * scale;
    }
  }
  return out;
}

function maxAbs(values: Float32Array): number {
  let max = 0;
  for (const value of values) max = Math.max(max, Math.abs(value));
  return max;
}

/** The value of largest magnitude, keeping its sign. */
function signedMaxAbs(values: Float32Array): number {
  let best = 0;
  for (const value of values) if (Math.abs(value) > Math.abs(best)) best = value;
  return best;
}

/** A growable little-endian byte buffer. */
class ByteSink {
  private buffer = new Uint8Array(1 << 16);
  private view = new DataView(this.buffer.buffer);
  private length = 0;

  u8(value: number): void {
    this.reserve(1).setUint8(this.length - 1, value);
  }

  u32(value: number): void {
    this.reserve(4).setUint32(this.length - 4, value, true);
  }

  u64(value: number): void {
    this.bigint("uint64", BigInt(value));
  }

  bigint(type: GgufBigIntTypeName, value: bigint): void {
    const view = this.reserve(8);
    if (type === "uint64") view.setBigUint64(this.length - 8, value, true);
    else view.setBigInt64(this.length - 8, value, true);
  }

  number(type: GgufNumberTypeName, value: number): void {
    const size = { uint8: 1, int8: 1, uint16: 2, int16: 2, uint32: 4, int32: 4, float32: 4, float64: 8 }[
      type
    ];
    const view = this.reserve(size);
    const at = this.length - size;
    if (type === "uint8") view.setUint8(at, value);
    else if (type === "int8") view.setInt8(at, value);
    else if (type === "uint16") view.setUint16(at, value, true);
    else if (type === "int16") view.setInt16(at, value, true);
    else if (type === "uint32") view.setUint32(at, value, true);
    else if (type === "int32") view.setInt32(at, value, true);
    else if (type === "float32") view.setFloat32(at, value, true);
    else view.setFloat64(at, value, true);
  }

  /** GGUF strings: uint64 byte length, then UTF-8 bytes, no terminator. */
  string(value: string): void {
    const encoded = utf8.encode(value);
    this.u64(encoded.length);
    this.bytes(encoded);
  }

  bytes(data: Uint8Array): void {
    this.reserve(data.length);
    this.buffer.set(data, this.length - data.length);
  }

  padTo(alignment: number): void {
    this.reserve(alignUp(this.length, alignment) - this.length);
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }

  /** Grows the buffer (zero-filled) for `count` more bytes and advances the length past them. */
  private reserve(count: number): DataView {
    const needed = this.length + count;
    if (needed > this.buffer.length) {
      const grown = new Uint8Array(Math.max(needed, this.buffer.length * 2));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
      this.view = new DataView(grown.buffer);
    }
    this.length = needed;
    return this.view;
  }
}
