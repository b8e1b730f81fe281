// Runs before build and test (npm pre-scripts): HazLedger needs Node.js 24, which `npm ci` installs
// as the `node` devDependency. Scripts silently fall back to the machine's Node.js when that binary
// is missing (`--ignore-scripts`, `--omit=dev`, a denied install script); say so instead of failing later.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  console.error(
    `HazLedger needs Node.js >= 24 but this script runs on ${process.version}.\n` +
      'Run `npm ci` (without --ignore-scripts or --omit=dev) so that the `node` devDependency installs Node 24,\n' +
      'or call ./node_modules/.bin/node directly.',
  );
  process.exit(1);
}
