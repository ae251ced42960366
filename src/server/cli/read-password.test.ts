import { PassThrough } from "node:stream";
import { describe, expect, it, vi } from "vitest";
import { readPassword } from "./read-password.ts";

/** A stand-in terminal: a stream that says it is a TTY and records raw mode switches. */
function fakeTerminal() {
  const stream = new PassThrough() as PassThrough & { isTTY: boolean; setRawMode: (on: boolean) => void };
  stream.isTTY = true;
  stream.setRawMode = vi.fn();
  return stream;
}

describe("readPassword", () => {
  it("reads the first line of piped input", async () => {
    const input = new PassThrough();
    input.end("harbour-violet-engine-42\nignored\n");
    expect(await readPassword("Password: ", input as unknown as NodeJS.ReadStream)).toBe("harbour-violet-engine-42");
  });

  it("at a terminal, reads in raw mode without echo, honouring backspace, and restores the terminal", async () => {
    const terminal = fakeTerminal();
    const echoed = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const reading = readPassword("Password: ", terminal as unknown as NodeJS.ReadStream);
    terminal.write("secrex\u007ft\r");
    expect(await reading).toBe("secret");
    expect(terminal.setRawMode).toHaveBeenNthCalledWith(1, true);
    expect(terminal.setRawMode).toHaveBeenLastCalledWith(false);
    expect(echoed.mock.calls.map((call) => String(call[0])).join("")).not.toContain("secre");
    echoed.mockRestore();
  });

  it("at a terminal, Ctrl-C cancels", async () => {
    const terminal = fakeTerminal();
    const echoed = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const reading = readPassword("Password: ", terminal as unknown as NodeJS.ReadStream);
    terminal.write("abc\u0003");
    await expect(reading).rejects.toThrow("Cancelled");
    echoed.mockRestore();
  });
});
