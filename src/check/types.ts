// Types of the expected-output matcher. Types only.

export interface ExpectMismatch {
  /** Aligned report lines (expected vs actual, first difference marked); render as-is. */
  report: string[];
  /** 1-based index into expected/actual where they first differ. */
  firstDifference: number;
}
