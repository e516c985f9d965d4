import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { cdcHome } from './cdcHome.ts';

describe('cdcHome', () => {
  it('is CHARGEBACK_CDC_HOME when set, else ~/.cache/chargeback-cdc, and an empty value counts as unset', () => {
    assert.equal(cdcHome({ CHARGEBACK_CDC_HOME: '/srv/cdc' }), '/srv/cdc');
    assert.equal(cdcHome({}), join(homedir(), '.cache', 'chargeback-cdc'));
    assert.equal(cdcHome({ CHARGEBACK_CDC_HOME: '' }), join(homedir(), '.cache', 'chargeback-cdc'));
  });
});
