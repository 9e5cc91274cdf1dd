#!/usr/bin/env node
// Compiles Solidity sources with solc-js's standard-JSON API (solc-js has no
// --evm-version flag on its CLI) and writes one artifact per deployable
// contract: <out>/<Name>.json with the ABI, creation and runtime bytecode and
// the compiler settings. With --split DIR it also writes <Name>.abi (compact
// JSON) and <Name>.bin (hex) there, the inputs abigen takes.
//
// usage: node l1/scripts/compile.js --out DIR [--split DIR] [--evm-version V] FILE.sol...
//
// Sources are keyed by base name, so the output does not depend on where
// the checkout lives. Output is deterministic: the drift test recompiles
// and compares bytes.
'use strict';

const fs = require('fs');
const path = require('path');

let solc;
try {
  solc = require('solc');
} catch (e) {
  process.stderr.write('compile.js: solc-js is not installed; run `npm ci` at the repository root\n');
  process.exit(2);
}

function parseArgs(argv) {
  const o = { out: null, split: null, evmVersion: 'osaka', files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--out') o.out = argv[++i];
    else if (a === '--split') o.split = argv[++i];
    else if (a === '--evm-version') o.evmVersion = argv[++i];
    else if (a.startsWith('--')) throw new Error(`unknown flag ${a}`);
    else o.files.push(a);
  }
  if (!o.out || o.files.length === 0) {
    throw new Error('usage: compile.js --out DIR [--split DIR] [--evm-version V] FILE.sol...');
  }
  return o;
}

// Settings are part of every artifact; changing them is a drift.
function settings(evmVersion) {
  return {
    evmVersion,
    optimizer: { enabled: true, runs: 200 },
    viaIR: true,
    metadata: { bytecodeHash: 'none' },
    outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object', 'evm.deployedBytecode.object'] } },
  };
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const sources = {};
  for (const f of o.files) {
    const key = path.basename(f);
    if (sources[key]) throw new Error(`two sources named ${key}`);
    sources[key] = { content: fs.readFileSync(f, 'utf8') };
  }
  const input = { language: 'Solidity', sources, settings: settings(o.evmVersion) };
  const output = JSON.parse(solc.compile(JSON.stringify(input)));
  let failed = false;
  for (const e of output.errors || []) {
    process.stderr.write(e.formattedMessage || e.message);
    if (e.severity === 'error') failed = true;
  }
  if (failed) process.exit(1);

  fs.mkdirSync(o.out, { recursive: true });
  if (o.split) fs.mkdirSync(o.split, { recursive: true });
  const written = [];
  for (const file of Object.keys(output.contracts || {}).sort()) {
    for (const name of Object.keys(output.contracts[file]).sort()) {
      const c = output.contracts[file][name];
      const bytecode = c.evm.bytecode.object;
      if (!bytecode) continue; // interfaces and abstract contracts
      const artifact = {
        contractName: name,
        sourceName: file,
        compiler: { version: solc.version(), settings: settings(o.evmVersion) },
        abi: c.abi,
        bytecode: '0x' + bytecode,
        deployedBytecode: '0x' + c.evm.deployedBytecode.object,
      };
      delete artifact.compiler.settings.outputSelection;
      fs.writeFileSync(path.join(o.out, `${name}.json`), JSON.stringify(artifact, null, 2) + '\n');
      if (o.split) {
        fs.writeFileSync(path.join(o.split, `${name}.abi`), JSON.stringify(c.abi));
        fs.writeFileSync(path.join(o.split, `${name}.bin`), bytecode);
      }
      written.push(name);
    }
  }
  process.stdout.write(`compiled ${written.join(', ')} (solc ${solc.version()}, evm ${o.evmVersion})\n`);
}

try {
  main();
} catch (e) {
  process.stderr.write(`compile.js: ${e.message}\n`);
  process.exit(1);
}
