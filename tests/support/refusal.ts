/** The error `run` throws; fails the test when it throws none (a rule that should refuse did not). */
export function refusal<E = Error>(run: () => unknown): E {
  try {
    run();
  } catch (error) {
    return error as E;
  }
  throw new Error('not refused');
}
