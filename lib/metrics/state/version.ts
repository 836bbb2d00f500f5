/** Bump when the rollup rows change meaning: workspaces at an older version use the raw events until rebuilt. */
export const METRIC_STATE_VERSION = 8;
