// Prints one plain closing line ("N passed, N failed, N skipped") after the default reporter,
// so any log reader (CI included) can tell how many tests ran.
class SummaryReporter {
  onRunComplete(_contexts, results) {
    const { numPassedTests, numFailedTests, numPendingTests, numTodoTests, numRuntimeErrorTestSuites } = results
    if (numRuntimeErrorTestSuites) console.log(`${numRuntimeErrorTestSuites} test file(s) failed to run`)
    console.log(`tests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped`)
  }
}
module.exports = SummaryReporter
