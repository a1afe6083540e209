#!/usr/bin/env node
// Draws the TinyAgent extension icon (512x512 RGBA PNG) into assets/icon.png.
//
// Deliberately dependency-free (only node:zlib, node:fs, node:path) so the icon
// can be regenerated anywhere without npm install. Shapes are described as
// signed distance functions (SDFs): negative inside, positive outside, in
// pixels. A pixel's coverage is then derived analytically from the distance,
// which gives smooth anti-aliased edges without supersampling.
//
// Usage: node scripts/draw-icon.mjs

import { deflateSync } from "node:zlib";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const SIZE = 512;
const MARGIN = 24; // transparent border, matching macOS app icon proportions
const CORNER_RADIUS = 110;

// Gradient endpoints for the background tile (top -> bottom).
const TOP_COLOR = hex("#3b2fd6"); // deep indigo
const BOTTOM_COLOR = hex("#b03ad9"); // violet / magenta
const GLYPH_COLOR = [255, 255, 255];

// The "plan" glyph: two source nodes on the left feeding one node on the right.
const NODES = [
  { x: 168, y: 182, r: 40 }, // top-left
  { x: 168, y: 338, r: 40 }, // bottom-left
  { x: 336, y: 260, r: 48 }, // right (the result), a bit bigger to read as the sink
];
const EDGE_WIDTH = 22;
const EDGES = [
  [0, 2],
  [1, 2],
];
// Four-pointed sparkle near the top-right corner of the tile.
const SPARKLE = { x: 362, y: 142, outer: 50, inner: 15 };

// ---------------------------------------------------------------------------
// Colour helpers

function hex(s) {
  const n = parseInt(s.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function mix(a, b, t) {
  return a.map((v, i) => v + (b[i] - v) * t);
}

function clamp01(v) {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

// Coverage of a pixel by a shape whose signed distance at the pixel centre is d.
// A 1px-wide linear ramp across the edge approximates the exact box-filtered
// area closely enough for an icon and keeps edges crisp.
function coverage(d) {
  return clamp01(0.5 - d);
}

// ---------------------------------------------------------------------------
// Signed distance functions

// Rounded rectangle centred at (cx, cy) with half-extents (hw, hh).
function sdRoundedRect(px, py, cx, cy, hw, hh, r) {
  const qx = Math.abs(px - cx) - (hw - r);
  const qy = Math.abs(py - cy) - (hh - r);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  const inside = Math.min(Math.max(qx, qy), 0);
  return outside + inside - r;
}

function sdCircle(px, py, cx, cy, r) {
  return Math.hypot(px - cx, py - cy) - r;
}

// Thick line segment with round caps: distance to the segment minus half width.
function sdSegment(px, py, ax, ay, bx, by, width) {
  const dx = bx - ax;
  const dy = by - ay;
  const h = clamp01(((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy));
  return Math.hypot(px - ax - dx * h, py - ay - dy * h) - width / 2;
}

// Signed distance to an arbitrary simple polygon (even-odd rule for the sign).
function sdPolygon(px, py, pts) {
  let best = Infinity;
  let inside = false;
  for (let i = 0, j = pts.length - 1; i < pts.length; j = i++) {
    const [ax, ay] = pts[j];
    const [bx, by] = pts[i];
    const ex = bx - ax;
    const ey = by - ay;
    const h = clamp01(((px - ax) * ex + (py - ay) * ey) / (ex * ex + ey * ey));
    best = Math.min(best, Math.hypot(px - ax - ex * h, py - ay - ey * h));
    // Ray-casting crossing test to decide inside/outside.
    if (ay > py !== by > py && px < ((bx - ax) * (py - ay)) / (by - ay) + ax) {
      inside = !inside;
    }
  }
  return inside ? -best : best;
}

// A four-pointed star whose sides bow inward (the familiar "twinkle" shape
// rather than a plain diamond). Each quarter between two tips is a
// superellipse-style curve (outer*cos^p, outer*sin^p); p is chosen so the
// waist on the diagonal sits exactly `inner` px from the centre.
function sparklePolygon({ x, y, outer, inner }) {
  const p = 2 * Math.log2((outer * Math.SQRT2) / inner);
  const samples = 16; // per quarter; plenty for a ~100px shape
  const pts = [];
  for (let k = 0; k < 4; k++) {
    const a0 = (k * Math.PI) / 2; // this tip's direction
    const a1 = a0 + Math.PI / 2; // next tip's direction
    for (let s = 0; s < samples; s++) {
      const theta = ((s / samples) * Math.PI) / 2;
      const u = outer * Math.pow(Math.cos(theta), p);
      const v = outer * Math.pow(Math.sin(theta), p);
      pts.push([x + u * Math.cos(a0) + v * Math.cos(a1), y + u * Math.sin(a0) + v * Math.sin(a1)]);
    }
  }
  return pts;
}

// ---------------------------------------------------------------------------
// Scene

const SPARKLE_POLY = sparklePolygon(SPARKLE);

// Distance to the union of all glyph parts (union of SDFs = min).
function sdGlyph(px, py) {
  let d = sdPolygon(px, py, SPARKLE_POLY);
  for (const n of NODES) d = Math.min(d, sdCircle(px, py, n.x, n.y, n.r));
  for (const [a, b] of EDGES) {
    const A = NODES[a];
    const B = NODES[b];
    d = Math.min(d, sdSegment(px, py, A.x, A.y, B.x, B.y, EDGE_WIDTH));
  }
  return d;
}

const HALF = (SIZE - 2 * MARGIN) / 2;
const CENTER = SIZE / 2;

// Returns straight (non-premultiplied) RGBA for the pixel whose centre is (px, py).
function shade(px, py) {
  const tileAlpha = coverage(sdRoundedRect(px, py, CENTER, CENTER, HALF, HALF, CORNER_RADIUS));
  if (tileAlpha === 0) return [0, 0, 0, 0];

  const t = clamp01((py - MARGIN) / (SIZE - 2 * MARGIN));
  let rgb = mix(TOP_COLOR, BOTTOM_COLOR, t);

  // The glyph sits fully inside the tile, so it only changes colour, not alpha.
  const g = coverage(sdGlyph(px, py));
  if (g > 0) rgb = mix(rgb, GLYPH_COLOR, g);

  return [...rgb.map((v) => Math.round(v)), Math.round(tileAlpha * 255)];
}

// ---------------------------------------------------------------------------
// PNG encoding

// CRC32 (IEEE polynomial, reflected) — zlib.crc32 only exists from Node 22.
const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

// A PNG chunk: length, type, data, CRC over (type + data).
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typeAndData = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typeAndData));
  return Buffer.concat([length, typeAndData, crc]);
}

function encodePng(width, height, rgba) {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type: truecolour with alpha
  ihdr[10] = 0; // compression: deflate
  ihdr[11] = 0; // filter method: adaptive (we always use filter type 0)
  ihdr[12] = 0; // no interlace

  // Each scanline is prefixed with its filter type byte (0 = None).
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 0;
    rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  }

  return Buffer.concat([
    signature,
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(raw, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

// ---------------------------------------------------------------------------
// Main

function render() {
  const pixels = Buffer.alloc(SIZE * SIZE * 4);
  for (let y = 0; y < SIZE; y++) {
    for (let x = 0; x < SIZE; x++) {
      const [r, g, b, a] = shade(x + 0.5, y + 0.5); // sample at pixel centre
      const i = (y * SIZE + x) * 4;
      pixels[i] = r;
      pixels[i + 1] = g;
      pixels[i + 2] = b;
      pixels[i + 3] = a;
    }
  }
  return pixels;
}

// Resolve relative to this script (not the cwd) so it works from any directory.
const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outFile = join(root, "assets", "icon.png");
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, encodePng(SIZE, SIZE, render()));
console.log(`Wrote ${outFile}`);
