import { readFile } from "node:fs/promises";

/** A process's resident memory in MiB: now (VmRSS) and the most it has held so far (VmHWM). */
export type ProcessMemory = { rssMib: number; peakRssMib: number };

/** The memory of process `pid` from /proc/<pid>/status, or null where there is no /proc (not Linux). */
export async function processMemory(pid: number): Promise<ProcessMemory | null> {
  const status = await readFile(`/proc/${pid}/status`, "utf8").catch(() => null);
  return status === null ? null : parseProcStatus(status);
}

/** VmRSS and VmHWM of a /proc/<pid>/status text (given in kB), or null when either is missing. */
export function parseProcStatus(status: string): ProcessMemory | null {
  const mib = (field: string) => {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(status);
    return match ? Math.round((Number(match[1]) / 1024) * 10) / 10 : null;
  };
  const rssMib = mib("VmRSS");
  const peakRssMib = mib("VmHWM");
  return rssMib === null || peakRssMib === null ? null : { rssMib, peakRssMib };
}
