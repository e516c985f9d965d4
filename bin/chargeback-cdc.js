#!/usr/bin/env node
// Runs the TypeScript CLI directly through tsx, so `npx chargeback-cdc …` needs no build step.
import { register } from 'tsx/esm/api';

// The pinned AWS SDK supports Node 20; its notice about *future* SDK versions needing Node 22 is
// printed by every process and buries real output. The README records the Node 22 move.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

register();
await import('../cli/main.ts');
