// The Node.js the app needs, checked before anything else runs: `npm start` (scripts/migrate.mjs,
// then dist/main.js) and `npm run dev` stop here, with one line, on an older Node. The floor is
// package.json's `engines.node` (">=22.12"). Plain CommonJS, so any Node can load it.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

const range = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).engines.node;
const floor = /^>=\s*(\d+)\.(\d+)/.exec(range);
if (!floor) throw new Error(`package.json engines.node is not of the form ">=major.minor": ${range}`);
const [minMajor, minMinor] = [Number(floor[1]), Number(floor[2])];

/** Why `version` (e.g. "20.19.0") cannot run the app, in one line; null when it can. */
function nodeVersionProblem(version) {
  const [major, minor] = version.split(".").map(Number);
  if (major > minMajor || (major === minMajor && minor >= minMinor)) return null;
  return `Node.js ${version} is too old for this app: it needs Node.js ${minMajor}.${minMinor} or newer (24 LTS is what it is tested on; see the README).`;
}

const problem = nodeVersionProblem(process.versions.node);
if (problem) {
  console.error(problem);
  process.exit(1);
}

module.exports = { nodeVersionProblem, minimum: `${minMajor}.${minMinor}` };
