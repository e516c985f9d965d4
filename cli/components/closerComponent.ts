import {
  type CloserConfig,
  type CloserEvent,
  closerConfigFromEnv,
  describeCloserEvent,
  type RunningHourCloser,
  startHourCloser,
} from '../../pipeline/completeness/index.ts';

/**
 * The hour closer (pipeline/completeness) configured from the same environment as the writer:
 * it reads the writer group's committed offsets, so it serves either engine unchanged.
 */
export async function startCloserComponent(opts: {
  onEvent?: (e: CloserEvent, line: string) => void;
  /** Overrides for the environment's config (a clock for `close-hours --now`, a grace, a poll interval). */
  config?: Partial<CloserConfig>;
  poll?: boolean;
}): Promise<RunningHourCloser> {
  return startHourCloser(
    {
      ...closerConfigFromEnv(),
      ...opts.config,
      onEvent: (e) => opts.onEvent?.(e, describeCloserEvent(e)),
    },
    { poll: opts.poll ?? true },
  );
}
