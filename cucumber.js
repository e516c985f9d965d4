// cucumber-js configuration. Step definitions are TypeScript, loaded through tsx
// (scripts/test.sh and `npm run test:acceptance` set NODE_OPTIONS=--import tsx).
//
// cucumber-js adds the `paths` of this file to the feature files named on the command line, so
// `npx cucumber-js features/x.feature` would run the whole suite: the default paths apply only
// when the command line names none.
const namesFeatures = process.argv.slice(2).some((a) => /\.feature(:\d+)*$/.test(a) || a.startsWith('features/'));

export default {
  import: ['steps/**/*.ts'],
  ...(namesFeatures ? {} : { paths: ['features/**/*.feature'] }),
  format: ['progress', 'summary', 'html:reports/cucumber.html', 'junit:reports/cucumber.junit.xml', 'json:reports/cucumber.json'],
  // @aws scenarios also run here: they are the ones `npm run test:aws` runs against a deployed stack.
  tags: 'not @slow',
  strict: true,
};
