// cucumber-js configuration. Step definitions are TypeScript, loaded through tsx
// (scripts/test.sh and `npm run test:acceptance` set NODE_OPTIONS=--import tsx).
//
// cucumber-js adds the `paths` of this file to the feature files named on the command line, so
// `npx cucumber-js features/x.feature` would run the whole suite: the default paths apply only
// when the command line names none.
const namesFeatures = process.argv.slice(2).some((a) => /\.feature(:\d+)*$/.test(a) || a.startsWith('features/'));

const common = {
  import: ['steps/**/*.ts'],
  ...(namesFeatures ? {} : { paths: ['features/**/*.feature'] }),
  strict: true,
};
const formats = (dir) => [
  'progress',
  'summary',
  `html:${dir}/cucumber.html`,
  `junit:${dir}/cucumber.junit.xml`,
  `json:${dir}/cucumber.json`,
];

export default {
  ...common,
  format: formats('reports'),
  // @aws scenarios also run here: they are the ones `npm run test:aws` runs against a deployed stack.
  // @flink scenarios run the Flink job (a MiniCluster JVM per start): they are the suite of the `flink` profile.
  tags: 'not @slow and not @flink',
};

/**
 * `cucumber-js -p flink` (npm run test:flink-faults, via scripts/test-flink-faults.sh): the scenarios that
 * run the Flink job, with reports of their own in reports/flink/, so they never overwrite npm test's.
 */
export const flink = {
  ...common,
  format: formats('reports/flink'),
  tags: '@flink and not @slow',
};
