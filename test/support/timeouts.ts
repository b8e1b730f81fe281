// Integration and e2e files build worlds in their hooks; on a busy 2-core machine that can take
// more than jest's default 5 s for hooks, which the project-level testTimeout does not cover.
jest.setTimeout(60_000);
