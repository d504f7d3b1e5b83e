// The shape of one mutant family: a kernel (or CPU module), the test files that may catch its
// mutants, and the mutants. A mutant is a plausible wrong formula, applied to the kernel AND its
// float64 reference together, so only an independent check can see it. Add a family by adding a
// file next to this one that default-exports a Family; run.ts finds it by itself.
export type Edit = [file: string, from: string, to: string];

export interface Mutant {
  name: string;
  edits: Edit[];
}

export interface Family {
  /** What is mutated: a kernel name (shaders/<kernel>.wgsl) or a CPU module. */
  kernel: string;
  /** Test files (from the repository root) run against each mutant, in this order, until one fails.
   *  Only independent checks belong here (definitions typed out, closed forms, finite differences,
   *  oracles): never the kernel's own GPU-vs-reference test, which the paired edits leave passing. */
  tests: string[];
  mutants: Mutant[];
}
