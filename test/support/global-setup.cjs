// Builds the local server bundle (dist/local) once before any test file runs. Tests that spawn the
// server as a process use it; building per test file would let two parallel workers rewrite the
// bundle while another's child process is loading it.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

module.exports = async function buildLocalServerOnce() {
  execFileSync(process.execPath, [path.join(__dirname, '../../scripts/build-local.mjs')], { cwd: path.join(__dirname, '../..'), stdio: 'inherit' });
};
