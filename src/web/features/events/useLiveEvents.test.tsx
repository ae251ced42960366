import { QueryClientProvider, useQuery } from "@tanstack/react-query";
import { act, render, screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { testQueryClient } from "../../test/render.tsx";
import { useLiveEvents } from "./useLiveEvents.ts";

/** A stand-in for the browser's EventSource: the test plays the server. */
class FakeEventSource extends EventTarget {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static opened: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  readonly listened = new Set<string>();

  constructor(readonly url: string) {
    super();
    FakeEventSource.opened.push(this);
  }

  override addEventListener(...args: Parameters<EventTarget["addEventListener"]>): void {
    this.listened.add(args[0]);
    super.addEventListener(...args);
  }

  /** A message of the stream, as `event:` and `data:` lines would make it. */
  emit(type: string, data: Record<string, unknown>): void {
    this.dispatchEvent(new MessageEvent(type, { data: JSON.stringify(data) }));
  }

  close(): void {
    this.readyState = FakeEventSource.CLOSED;
  }
}

beforeEach(() => {
  FakeEventSource.opened = [];
  vi.stubGlobal("EventSource", FakeEventSource);
});
afterEach(() => vi.unstubAllGlobals());

/** Counts fetches per query key, so a test sees which queries an event made refetch. */
function Page({ workspaceId }: { workspaceId: string | null }) {
  useLiveEvents(workspaceId);
  const counters = [
    ["contacts", "one", "c1"],
    ["contacts", "list", {}],
    ["deals", "list", {}],
    ["notifications", 20],
  ];
  return (
    <>
      {counters.map((key) => (
        <Counter key={JSON.stringify(key)} queryKey={key} />
      ))}
    </>
  );
}

/** Only the hook: no queries to refetch. */
function Listener({ workspaceId }: { workspaceId: string | null }) {
  useLiveEvents(workspaceId);
  return null;
}

const fetches = new Map<string, number>();
function Counter({ queryKey }: { queryKey: unknown[] }) {
  const name = JSON.stringify(queryKey);
  const query = useQuery({
    queryKey,
    queryFn: () => {
      fetches.set(name, (fetches.get(name) ?? 0) + 1);
      return fetches.get(name);
    },
  });
  return <p>{`${name}: ${query.data ?? 0}`}</p>;
}

const fetched = (key: unknown[]) => screen.getByText(new RegExp(`^${escape(JSON.stringify(key))}: `)).textContent;
const escape = (text: string) => text.replace(/[[\]{}()*+?.\\^$|]/g, "\\$&");

async function stream(): Promise<FakeEventSource> {
  await waitFor(() => expect(FakeEventSource.opened).toHaveLength(1));
  return FakeEventSource.opened[0] as FakeEventSource;
}

describe("useLiveEvents", () => {
  it("opens the workspace's stream and refetches the queries of the resource an event is about", async () => {
    fetches.clear();
    render(
      <QueryClientProvider client={testQueryClient()}>
        <Page workspaceId="w1" />
      </QueryClientProvider>,
    );
    const source = await stream();
    expect(source.url).toBe("/api/v1/events/stream");
    // The catalogue's names are listened to once their chunk has loaded.
    // The event names come with a chunk of their own: its first load may be slow on a busy machine.
    await waitFor(() => expect(source.listened).toContain("contact.updated"), { timeout: 5_000 });
    await waitFor(() => expect(fetched(["contacts", "one", "c1"])).toContain(": 1"));

    act(() => {
      source.emit("contact.updated", { type: "contact.updated", resourceType: "contact", resourceId: "c1" });
      source.emit("contact.updated", { type: "contact.updated", resourceType: "contact", resourceId: "c2" });
    });
    // Events close together refetch once.
    await waitFor(() => expect(fetched(["contacts", "one", "c1"])).toContain(": 2"));
    expect(fetched(["contacts", "list", {}])).toContain(": 2");
    expect(fetched(["deals", "list", {}])).toContain(": 1");
    expect(fetched(["notifications", 20])).toContain(": 1");

    act(() => source.emit("notification.created", { type: "notification.created", resourceType: "notification" }));
    await waitFor(() => expect(fetched(["notifications", 20])).toContain(": 2"));
    expect(fetched(["deals", "list", {}])).toContain(": 1");

    act(() => source.emit("reset", {}));
    await waitFor(() => expect(fetched(["deals", "list", {}])).toContain(": 2"));
  });

  it("opens nothing without a workspace, and closes the stream when unmounted", async () => {
    const { rerender, unmount } = render(
      <QueryClientProvider client={testQueryClient()}>
        <Listener workspaceId={null} />
      </QueryClientProvider>,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(FakeEventSource.opened).toEqual([]);
    rerender(
      <QueryClientProvider client={testQueryClient()}>
        <Listener workspaceId="w1" />
      </QueryClientProvider>,
    );
    const source = await stream();
    unmount();
    expect(source.readyState).toBe(FakeEventSource.CLOSED);
  });
});
