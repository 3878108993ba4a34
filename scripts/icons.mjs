// App icons from one source image: assets/icon.png (1024×1024) → assets/icons/ (PNG sizes for Linux, icon.ico
// for Windows, icon.icns for macOS). Pure JavaScript (node:zlib only), so it runs the same on every system.
//   node scripts/icons.mjs            generate the sizes from assets/icon.png
//   node scripts/icons.mjs --source   redraw assets/icon.png itself (the layered "strata" mark), then the sizes
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync, inflateSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sourcePath = join(root, 'assets', 'icon.png');
const outDir = join(root, 'assets', 'icons');
const SOURCE_SIZE = 1024;

// ---- PNG (8-bit RGBA, non-interlaced) ----

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function paeth(a, b, c) {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/** Encode RGBA pixels (Uint8Array, width*height*4) as a PNG; every row Paeth-filtered. */
export function encodePng({ width, height, data }) {
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (stride + 1)] = 4;
    for (let x = 0; x < stride; x++) {
      const i = y * stride + x;
      const left = x >= 4 ? data[i - 4] : 0;
      const up = y > 0 ? data[i - stride] : 0;
      const upLeft = x >= 4 && y > 0 ? data[i - stride - 4] : 0;
      raw[y * (stride + 1) + 1 + x] = (data[i] - paeth(left, up, upLeft)) & 0xff;
    }
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Decode a PNG of 8-bit RGB or RGBA, non-interlaced (what encodePng and most editors write) to RGBA. */
export function decodePng(file) {
  if (file.readUInt32BE(0) !== 0x89504e47) throw new Error('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat = [];
  while (pos < file.length) {
    const length = file.readUInt32BE(pos);
    const type = file.toString('ascii', pos + 4, pos + 8);
    const body = file.subarray(pos + 8, pos + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colorType, , , interlace] = body.subarray(8);
      if (depth !== 8 || interlace !== 0 || (colorType !== 6 && colorType !== 2)) {
        throw new Error('only 8-bit RGB/RGBA non-interlaced PNGs are supported');
      }
      channels = colorType === 6 ? 4 : 3;
    } else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    pos += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rows = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let x = 0; x < stride; x++) {
      const value = raw[y * (stride + 1) + 1 + x];
      const left = x >= channels ? rows[y * stride + x - channels] : 0;
      const up = y > 0 ? rows[(y - 1) * stride + x] : 0;
      const upLeft = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels] : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][filter];
      if (predictor === undefined) throw new Error(`bad PNG filter ${filter}`);
      rows[y * stride + x] = (value + predictor) & 0xff;
    }
  }
  const data = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < 3; c++) data[p * 4 + c] = rows[p * channels + c];
    data[p * 4 + 3] = channels === 4 ? rows[p * 4 + 3] : 255;
  }
  return { width, height, data };
}

/** Shrink by area averaging (each output pixel is the mean of the source area it covers), alpha premultiplied. */
export function resize(image, size) {
  const scale = image.width / size;
  const out = new Uint8Array(size * size * 4);
  for (let oy = 0; oy < size; oy++) {
    for (let ox = 0; ox < size; ox++) {
      const acc = [0, 0, 0, 0];
      let total = 0;
      for (let sy = Math.floor(oy * scale); sy < Math.ceil((oy + 1) * scale); sy++) {
        const wy = Math.min(sy + 1, (oy + 1) * scale) - Math.max(sy, oy * scale);
        for (let sx = Math.floor(ox * scale); sx < Math.ceil((ox + 1) * scale); sx++) {
          const w = wy * (Math.min(sx + 1, (ox + 1) * scale) - Math.max(sx, ox * scale));
          const i = (sy * image.width + sx) * 4;
          const a = image.data[i + 3] / 255;
          acc[0] += image.data[i] * a * w;
          acc[1] += image.data[i + 1] * a * w;
          acc[2] += image.data[i + 2] * a * w;
          acc[3] += a * w;
          total += w;
        }
      }
      const o = (oy * size + ox) * 4;
      const alpha = acc[3] / total;
      for (let c = 0; c < 3; c++) out[o + c] = alpha > 0 ? Math.round(acc[c] / acc[3]) : 0;
      out[o + 3] = Math.round(alpha * 255);
    }
  }
  return { width: size, height: size, data: out };
}

// ---- Containers: ICO (PNG entries, Vista and later) and ICNS (PNG entries) ----

export function encodeIco(pngs) {
  const header = Buffer.alloc(6 + 16 * pngs.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(pngs.length, 4);
  let offset = header.length;
  pngs.forEach(({ size, png }, i) => {
    const e = 6 + 16 * i;
    header[e] = size >= 256 ? 0 : size;
    header[e + 1] = size >= 256 ? 0 : size;
    header.writeUInt16LE(1, e + 4);
    header.writeUInt16LE(32, e + 6);
    header.writeUInt32LE(png.length, e + 8);
    header.writeUInt32LE(offset, e + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...pngs.map((p) => p.png)]);
}

/** ICNS types holding PNG data, by pixel size (the @2x types reuse the double-size image). */
const ICNS_TYPES = [
  ['icp4', 16],
  ['icp5', 32],
  ['icp6', 64],
  ['ic07', 128],
  ['ic08', 256],
  ['ic09', 512],
  ['ic10', 1024],
  ['ic11', 32],
  ['ic12', 64],
  ['ic13', 256],
  ['ic14', 512],
];

export function encodeIcns(pngBySize) {
  const entries = ICNS_TYPES.map(([type, size]) => {
    const png = pngBySize.get(size);
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + entries.reduce((n, e) => n + e.length, 0), 4);
  return Buffer.concat([head, ...entries]);
}

// ---- The source mark: a rounded square cut through by wavy rock layers ----

const hex = (h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16));
const LAYERS = [
  { top: 352, amplitude: 30, phase: 0.3, color: hex('#f4c869') },
  { top: 492, amplitude: 34, phase: 1.4, color: hex('#e2774b') },
  { top: 626, amplitude: 30, phase: 2.6, color: hex('#3fb0a4') },
  { top: 758, amplitude: 26, phase: 3.9, color: hex('#4d86e0') },
];
const SKY_TOP = hex('#1d2c4f');
const SKY_BOTTOM = hex('#101a33');
const SEAM = hex('#0c1429');

/** Draw the 1024×1024 source: 4×4 samples a pixel, so edges are smooth at every size cut from it. */
export function drawSource(size = SOURCE_SIZE) {
  const n = 4;
  const inset = 72;
  const radius = 196;
  const data = new Uint8Array(size * size * 4);
  const boundary = (layer, x) => layer.top + layer.amplitude * Math.sin((x / size) * Math.PI * 2.4 + layer.phase);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const acc = [0, 0, 0];
      let covered = 0;
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const x = px + (sx + 0.5) / n;
          const y = py + (sy + 0.5) / n;
          // Rounded-square test: distance to the inner rectangle of the corners' centres.
          const dx = Math.max(inset + radius - x, 0, x - (size - inset - radius));
          const dy = Math.max(inset + radius - y, 0, y - (size - inset - radius));
          if (dx * dx + dy * dy > radius * radius) continue;
          let color = SKY_TOP.map((c, i) => c + ((SKY_BOTTOM[i] - c) * (y - inset)) / (size - 2 * inset));
          for (const layer of LAYERS) {
            const edge = boundary(layer, x);
            if (y >= edge) color = Math.abs(y - edge) < 9 ? SEAM : layer.color;
          }
          acc[0] += color[0];
          acc[1] += color[1];
          acc[2] += color[2];
          covered++;
        }
      }
      const o = (py * size + px) * 4;
      if (covered) for (let c = 0; c < 3; c++) data[o + c] = Math.round(acc[c] / covered);
      data[o + 3] = Math.round((covered / (n * n)) * 255);
    }
  }
  return { width: size, height: size, data };
}

// ---- Main ----

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512];
const ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];

/** Every file of assets/icons/, by name, made from the source image (nothing written). */
export function renderIcons(sourceFile = sourcePath) {
  const source = decodePng(readFileSync(sourceFile));
  if (source.width !== SOURCE_SIZE || source.height !== SOURCE_SIZE) throw new Error(`${sourceFile} must be 1024×1024`);
  const pngBySize = new Map([[SOURCE_SIZE, encodePng(source)]]);
  for (const size of new Set([...LINUX_SIZES, ...ICO_SIZES])) pngBySize.set(size, encodePng(resize(source, size)));
  const files = new Map(LINUX_SIZES.map((size) => [`${size}x${size}.png`, pngBySize.get(size)]));
  files.set('icon.ico', encodeIco(ICO_SIZES.map((size) => ({ size, png: pngBySize.get(size) }))));
  files.set('icon.icns', encodeIcns(pngBySize));
  return files;
}

export function generateIcons() {
  mkdirSync(outDir, { recursive: true });
  const files = renderIcons();
  for (const [name, bytes] of files) writeFileSync(join(outDir, name), bytes);
  return [...files.keys()];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--source')) {
    writeFileSync(sourcePath, encodePng(drawSource()));
    console.log(`icons: drew ${sourcePath}`);
  }
  const written = generateIcons();
  console.log(`icons: wrote ${written.length} files to ${outDir}`);
}
