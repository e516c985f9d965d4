// cucumber-js configuration of `npm run test:aws` (and its rehearsal): the project's own
// configuration, but only the scenarios tagged @aws, reported beside (not over) the main suite's.
// A separate file because cucumber-js ANDs a command-line --tags with the configuration's
// tags (`not @slow`), which would still work, but the reports would overwrite the main suite's.
import base from '../../cucumber.js';

export default {
  ...base,
  format: ['progress', 'summary', 'html:reports/aws.html', 'junit:reports/aws.junit.xml', 'json:reports/aws.json'],
  tags: '@aws',
};
