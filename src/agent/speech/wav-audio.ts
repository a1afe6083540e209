/**
 * WAV files in and out: whisper.cpp wants 16 kHz mono 16-bit samples, the recorder writes exactly that,
 * and any other WAV (a phone memo at 44.1 kHz stereo, a float export) is read and converted here, so the
 * person gets a transcript or a sentence saying what is wrong with the file, never a native error.
 */

export const WHISPER_SAMPLE_RATE = 16_000;

/** A WAV that cannot be used, with what is wrong in words. */
export class AudioFileError extends Error {
  override readonly name = "AudioFileError";
}

export interface DecodedAudio {
  /** Samples of the original file, channels mixed down to one, in [-1, 1]. */
  samples: Float32Array;
  sampleRate: number;
  channels: number;
  /** Length in seconds. */
  seconds: number;
}

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;

/** Reads a RIFF/WAVE file of integer PCM (8, 16, 24 or 32 bits) or 32-bit float samples. */
export function decodeWav(bytes: Uint8Array, name = "The file"): DecodedAudio {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (offset: number) => String.fromCharCode(...bytes.subarray(offset, offset + 4));
  if (bytes.length < 12 || tag(0) !== "RIFF" || tag(8) !== "WAVE") {
    throw new AudioFileError(
      `${name} is not a WAV file. Record one with \`tinyagent listen\`, or convert it to WAV.`,
    );
  }
  let format: { code: number; channels: number; sampleRate: number; bits: number } | undefined;
  let data: Uint8Array | undefined;
  // Chunks: 4-byte id, 4-byte size, body padded to an even length.
  for (let offset = 12; offset + 8 <= bytes.length;) {
    const id = tag(offset);
    const size = view.getUint32(offset + 4, true);
    const body = offset + 8;
    const end = Math.min(body + size, bytes.length);
    if (id === "fmt " && size >= 16) {
      let code = view.getUint16(body, true);
      // WAVE_FORMAT_EXTENSIBLE keeps the real format in the first two bytes of its sub-format GUID.
      if (code === EXTENSIBLE && size >= 40) code = view.getUint16(body + 24, true);
      format = {
        code,
        channels: view.getUint16(body + 2, true),
        sampleRate: view.getUint32(body + 4, true),
        bits: view.getUint16(body + 14, true),
      };
    } else if (id === "data") {
      data = bytes.subarray(body, end);
    }
    offset = body + size + (size % 2);
  }
  if (!format) throw new AudioFileError(`${name} is a WAV file without a format chunk: it is damaged.`);
  if (!data) throw new AudioFileError(`${name} is a WAV file without audio data: it is damaged or empty.`);
  const { code, channels, sampleRate, bits } = format;
  const supported = (code === PCM && [8, 16, 24, 32].includes(bits)) || (code === IEEE_FLOAT && bits === 32);
  if (!supported || channels < 1 || sampleRate < 1000) {
    throw new AudioFileError(
      `${name} holds audio TinyAgent cannot read (format ${code}, ${bits}-bit, ${channels} channels, ` +
        `${sampleRate} Hz). Use 16-bit PCM WAV, ideally 16 kHz mono.`,
    );
  }
  const frameBytes = (bits / 8) * channels;
  const frames = Math.floor(data.length / frameBytes);
  const samples = new Float32Array(frames);
  const dataView = new DataView(data.buffer, data.byteOffset, data.byteLength);
  for (let frame = 0; frame < frames; frame++) {
    let sum = 0;
    for (let channel = 0; channel < channels; channel++) {
      sum += readSample(dataView, frame * frameBytes + (channel * bits) / 8, code, bits);
    }
    samples[frame] = sum / channels;
  }
  return { samples, sampleRate, channels, seconds: frames / sampleRate };
}

function readSample(view: DataView, offset: number, code: number, bits: number): number {
  if (code === IEEE_FLOAT) return Math.max(-1, Math.min(1, view.getFloat32(offset, true)));
  switch (bits) {
    case 8:
      return (view.getUint8(offset) - 128) / 128;
    case 16:
      return view.getInt16(offset, true) / 32768;
    case 24: {
      const value =
        view.getUint8(offset) | (view.getUint8(offset + 1) << 8) | (view.getInt8(offset + 2) << 16);
      return value / 8388608;
    }
    default:
      return view.getInt32(offset, true) / 2147483648;
  }
}

/**
 * The samples whisper.cpp takes: 16 kHz, mono, 16-bit. Other rates are resampled by linear
 * interpolation, which is enough for speech recognition (whisper's mel bands stop at 8 kHz).
 */
export function toWhisperPcm(audio: DecodedAudio): Int16Array {
  const ratio = audio.sampleRate / WHISPER_SAMPLE_RATE;
  const length = Math.floor(audio.samples.length / ratio);
  const pcm = new Int16Array(length);
  for (let i = 0; i < length; i++) {
    const position = i * ratio;
    const left = Math.floor(position);
    const right = Math.min(left + 1, audio.samples.length - 1);
    const fraction = position - left;
    const value = (audio.samples[left] ?? 0) * (1 - fraction) + (audio.samples[right] ?? 0) * fraction;
    pcm[i] = Math.max(-32768, Math.min(32767, Math.round(value * 32768)));
  }
  return pcm;
}

/** A 16-bit PCM WAV file of these samples (mono unless told otherwise). */
export function encodeWav(pcm: Int16Array, sampleRate = WHISPER_SAMPLE_RATE, channels = 1): Uint8Array {
  const dataBytes = pcm.length * 2;
  const bytes = Buffer.alloc(44 + dataBytes);
  bytes.write("RIFF", 0, "latin1");
  bytes.writeUInt32LE(36 + dataBytes, 4);
  bytes.write("WAVE", 8, "latin1");
  bytes.write("fmt ", 12, "latin1");
  bytes.writeUInt32LE(16, 16);
  bytes.writeUInt16LE(PCM, 20);
  bytes.writeUInt16LE(channels, 22);
  bytes.writeUInt32LE(sampleRate, 24);
  bytes.writeUInt32LE(sampleRate * channels * 2, 28);
  bytes.writeUInt16LE(channels * 2, 32);
  bytes.writeUInt16LE(16, 34);
  bytes.write("data", 36, "latin1");
  bytes.writeUInt32LE(dataBytes, 40);
  pcm.forEach((sample, index) => bytes.writeInt16LE(sample, 44 + 2 * index));
  return bytes;
}
