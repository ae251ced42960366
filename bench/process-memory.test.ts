import { describe, expect, it } from "vitest";
import { parseProcStatus, processMemory } from "./process-memory.ts";

describe("process memory", () => {
  it("reads resident memory now and at its peak from /proc/<pid>/status, in MiB", () => {
    const status = [
      "Name:\tnode",
      "VmPeak:\t 1234567 kB",
      "VmHWM:\t  424652 kB",
      "VmRSS:\t  213606 kB",
      "Threads:\t11",
    ];
    expect(parseProcStatus(status.join("\n"))).toEqual({ rssMib: 208.6, peakRssMib: 414.7 });
    expect(parseProcStatus("Name:\tkthreadd\nThreads:\t1\n")).toBeNull();
  });

  it.runIf(process.platform === "linux")("measures a running process", async () => {
    const memory = await processMemory(process.pid);
    expect(memory?.rssMib).toBeGreaterThan(10);
    expect(memory?.peakRssMib).toBeGreaterThanOrEqual(memory?.rssMib ?? Infinity);
  });
});
