import path from "node:path";

/** Where the fault suite leaves its table of figures for the run's teardown to print. */
export const FAULT_FIGURES_FILE = () => path.join(process.env.TEST_TMP_DIR!, "fault-figures.md");
