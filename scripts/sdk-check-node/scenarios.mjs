// What the SDK checks share: an assertion, and the runner that prints one line per scenario and
// "<label>: N passed, N failed", exiting 1 if any failed.

export function assert(cond, what) {
  if (!cond) throw new Error(what);
}

export async function runScenarios(label, scenarios) {
  let passed = 0;
  let failed = 0;
  for (const [name, run] of Object.entries(scenarios)) {
    try {
      await run();
      passed++;
      console.log(`ok   ${name}`);
    } catch (e) {
      failed++;
      console.log(`FAIL ${name}: ${e.message}`);
    }
  }
  console.log(`${label}: ${passed} passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}
