import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * The folders this test file made. Kept on the test file's global object as well, so that the mutation-testing
 * environment (test/mutation/bail-environment.js) can remove them when it skips a whole file, `afterAll` included,
 * after a folder was made while the file's tests were collected.
 */
const made: string[] = ((globalThis as { __tempDirs?: string[] }).__tempDirs ??= []);

/**
 * A new empty folder under the system's temporary folder (`<prefix>-XXXXXX`), removed with everything in it when the
 * test file that asked for it ends. Mutation runs execute each test file hundreds of times: folders left behind add
 * up to tens of thousands.
 */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  made.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});
