// cucumber-js configuration. Step definitions are TypeScript, loaded through tsx
// (scripts/test.sh and `npm run test:acceptance` set NODE_OPTIONS=--import tsx).
export default {
  import: ['steps/**/*.ts'],
  paths: ['features/**/*.feature'],
  format: ['progress', 'summary', 'html:reports/cucumber.html', 'junit:reports/cucumber.junit.xml', 'json:reports/cucumber.json'],
  tags: 'not @aws and not @slow',
  strict: true,
};
