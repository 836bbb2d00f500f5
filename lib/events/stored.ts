import type { ValidEvent } from "./contract";

/**
 * A stored event as the derived-state maintainers see it: the validated event plus its arrival number. Here, below
 * ingestion and the rollups, so that neither has to import the other for it.
 */
export interface StoredEventRow extends ValidEvent {
  seq: number;
}
