// Copies one face out of a TrueType Collection into a standalone .ttf, table bytes unchanged.
// Why: pdf-lib's embedFont cannot pick a face from a .ttc. Used once to make WenQuanYiMicroHei.ttf:
//   node assets/fonts/tools/ttc-to-ttf.mjs /usr/share/fonts/truetype/wqy/wqy-microhei.ttc 0 assets/fonts/WenQuanYiMicroHei.ttf
import fs from 'node:fs';

const [src, faceArg, out] = process.argv.slice(2);
const ttc = fs.readFileSync(src);
if (ttc.toString('latin1', 0, 4) !== 'ttcf') throw new Error('not a TrueType Collection');
const face = Number(faceArg ?? 0);
if (face >= ttc.readUInt32BE(8)) throw new Error('no such face');
const dir = ttc.readUInt32BE(12 + 4 * face);
const numTables = ttc.readUInt16BE(dir + 4);

const tables = [];
for (let i = 0; i < numTables; i++) {
  const r = dir + 12 + 16 * i;
  tables.push({ tag: ttc.toString('latin1', r, r + 4), sum: ttc.readUInt32BE(r + 4), off: ttc.readUInt32BE(r + 8), len: ttc.readUInt32BE(r + 12) });
}
const pad4 = (n) => (n + 3) & ~3;
const headerLen = 12 + 16 * numTables;
const total = tables.reduce((n, t) => n + pad4(t.len), headerLen);
const outBuf = Buffer.alloc(total);
ttc.copy(outBuf, 0, dir, dir + 12);
let pos = headerLen;
tables.forEach((t, i) => {
  const r = 12 + 16 * i;
  outBuf.write(t.tag, r, 'latin1');
  outBuf.writeUInt32BE(t.sum, r + 4);
  outBuf.writeUInt32BE(pos, r + 8);
  outBuf.writeUInt32BE(t.len, r + 12);
  ttc.copy(outBuf, pos, t.off, t.off + t.len);
  if (t.tag === 'head') outBuf.writeUInt32BE(0, pos + 8);
  t.at = pos;
  pos += pad4(t.len);
});
// The whole-file checksum lives in head.checkSumAdjustment and changes with the new layout.
let sum = 0;
for (let i = 0; i < total; i += 4) sum = (sum + outBuf.readUInt32BE(i)) >>> 0;
const head = tables.find((t) => t.tag === 'head');
outBuf.writeUInt32BE((0xb1b0afba - sum) >>> 0, head.at + 8);
fs.writeFileSync(out, outBuf);
console.log(`wrote ${out}: ${numTables} tables, ${total} bytes`);
