import { screen, waitFor } from "@testing-library/react";
import { userEvent } from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it, vi } from "vitest";
import { mockApi, renderWithProviders } from "../../test/render.tsx";
import { RecordPicker, type RecordPickerProps } from "./RecordPicker.tsx";

const acme = { id: "0190f6c2-0000-7000-8000-000000000001", name: "Acme", domain: "acme.com" };
const zenith = { id: "0190f6c2-0000-7000-8000-000000000002", name: "Zenith Works", domain: null };
const zephyr = { id: "0190f6c2-0000-7000-8000-000000000003", name: "Zephyr", domain: null };

/** The companies list as the API answers it: `q` as word prefixes, a cursor when more match. */
const companiesList = ({ url }: { url: URL }) => {
  const q = (url.searchParams.get("q") ?? "").toLowerCase();
  const data = [acme, zenith, zephyr].filter((c) =>
    c.name
      .toLowerCase()
      .split(" ")
      .some((w) => w.startsWith(q)),
  );
  return { body: { data, nextCursor: q === "" ? "next-page" : null } };
};

function Harness(props: Partial<RecordPickerProps> & { onPicked?: (id: string) => void }) {
  const [value, setValue] = useState(props.value ?? "");
  return (
    <RecordPicker
      collection="companies"
      label="Company"
      noneLabel="No company"
      {...props}
      value={value}
      onChange={(id) => {
        setValue(id);
        props.onPicked?.(id);
      }}
    />
  );
}

const searchesOf = (calls: { method: string; path: string; url: URL }[]) =>
  calls.filter((c) => c.method === "GET" && c.path === "/api/v1/companies").map((c) => c.url.searchParams.get("q"));

describe("RecordPicker", () => {
  it("searches the server as the user types, once per pause, and chooses with the keyboard", async () => {
    const user = userEvent.setup();
    const onPicked = vi.fn();
    const api = mockApi({ "GET /api/v1/companies": companiesList });
    await renderWithProviders(<Harness onPicked={onPicked} />);

    const input = screen.getByRole("combobox", { name: "Company" });
    expect(input.getAttribute("aria-expanded")).toBe("false");
    await user.type(input, "zen");

    // The click opened the list on the first page; the search replaces it once typing pauses.
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("1 match."));
    const option = screen.getByRole("option", { name: "Zenith Works" });
    expect(input.getAttribute("aria-expanded")).toBe("true");
    // Typing "zen" quickly asks once for "zen", never for "z" or "ze".
    expect(searchesOf(api.calls)).toEqual([null, "zen"]);
    const search = api.calls.find((c) => c.url.searchParams.get("q") === "zen");
    expect(search?.url.searchParams.get("sort")).toBe("name");
    expect(search?.url.searchParams.get("limit")).toBe("20");
    // The first match is active, so Enter takes it.
    expect(input.getAttribute("aria-activedescendant")).toBe(option.id);
    expect(option.getAttribute("aria-selected")).toBe("true");

    await user.keyboard("{Enter}");
    expect(onPicked).toHaveBeenCalledWith(zenith.id);
    expect(input.getAttribute("aria-expanded")).toBe("false");
    expect((input as HTMLInputElement).value).toBe("Zenith Works");
  });

  it("opens on Arrow Down with “none” first and the first page, and says when more match", async () => {
    const user = userEvent.setup();
    const onPicked = vi.fn();
    mockApi({ "GET /api/v1/companies": companiesList });
    await renderWithProviders(<Harness onPicked={onPicked} />);

    await user.tab();
    await user.keyboard("{ArrowDown}");
    await screen.findByRole("option", { name: /Acme/ });
    const names = screen.getAllByRole("option").map((o) => o.textContent);
    expect(names).toEqual(["No company", "Acmeacme.com", "Zenith Works", "Zephyr"]);
    await waitFor(() => expect(screen.getByRole("status").textContent).toMatch(/Type more to narrow them/));

    await user.keyboard("{ArrowDown}{Enter}");
    expect(onPicked).toHaveBeenCalledWith(acme.id);
  });

  it("says when nothing matches, and Escape closes the list and keeps the choice", async () => {
    const user = userEvent.setup();
    const onPicked = vi.fn();
    mockApi({
      "GET /api/v1/companies": companiesList,
      [`GET /api/v1/companies/${acme.id}`]: { body: acme },
    });
    await renderWithProviders(<Harness value={acme.id} onPicked={onPicked} />);

    const input = screen.getByRole("combobox", { name: "Company" });
    await waitFor(() => expect((input as HTMLInputElement).value).toBe("Acme"));
    await user.type(input, "qqq");
    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("No match for “qqq”."));
    expect(screen.queryAllByRole("option")).toHaveLength(0);

    await user.keyboard("{Escape}");
    expect(input.getAttribute("aria-expanded")).toBe("false");
    expect((input as HTMLInputElement).value).toBe("Acme");
    expect(onPicked).not.toHaveBeenCalled();
  });

  it("does not choose from the list of an older search when Enter comes before the answer", async () => {
    const user = userEvent.setup();
    const onPicked = vi.fn();
    mockApi({ "GET /api/v1/companies": companiesList });
    await renderWithProviders(<Harness onPicked={onPicked} />);

    const input = screen.getByRole("combobox", { name: "Company" });
    await user.click(input);
    await screen.findByRole("option", { name: "Zephyr" });
    // Typed and entered at once: the first page (Acme first) is still shown, marked busy.
    await user.type(input, "zep{Enter}", { skipClick: true });
    expect(screen.getByRole("listbox", { name: "Company" }).getAttribute("aria-busy")).toBe("true");
    expect(onPicked).not.toHaveBeenCalled();

    await waitFor(() => expect(screen.getByRole("status").textContent).toBe("1 match."));
    await user.keyboard("{Enter}");
    expect(onPicked).toHaveBeenCalledWith(zephyr.id);
  });

  it("shows the chosen record by name when it is on no page: read by id", async () => {
    const api = mockApi({ [`GET /api/v1/companies/${zephyr.id}`]: { body: zephyr } });
    await renderWithProviders(<Harness value={zephyr.id} />);

    const input = screen.getByRole("combobox", { name: "Company" });
    await waitFor(() => expect((input as HTMLInputElement).value).toBe("Zephyr"));
    // Nothing is searched until the list opens.
    expect(searchesOf(api.calls)).toEqual([]);
  });

  it("uses the name the caller knows without asking the server", async () => {
    const api = mockApi({});
    await renderWithProviders(<Harness value={zephyr.id} selected={{ id: zephyr.id, label: "Zephyr" }} />);

    expect((screen.getByRole("combobox", { name: "Company" }) as HTMLInputElement).value).toBe("Zephyr");
    expect(api.calls).toHaveLength(0);
  });

  it("offers as owners only active members who may own records, searched on the server by name or e-mail", async () => {
    const user = userEvent.setup();
    const onPicked = vi.fn();
    const member = (id: string, name: string, email: string, role: string) => ({
      id: `0190f6c2-0000-7000-8000-00000000010${id}`,
      name,
      email,
      role,
      joinedAt: "2026-01-01T00:00:00.000Z",
    });
    const members = [
      member("1", "Mia Manager", "mia@example.com", "manager"),
      member("2", "Adam Agent", "adam@example.com", "agent"),
    ];
    const api = mockApi({
      "GET /api/v1/users": ({ url }) => {
        const q = url.searchParams.get("q")?.toLowerCase() ?? "";
        const found = members.filter((m) => `${m.name} ${m.email}`.toLowerCase().includes(q));
        return { body: { data: found, nextCursor: null } };
      },
    });
    await renderWithProviders(<Harness collection="users" label="Owner" noneLabel="Nobody" onPicked={onPicked} />);

    const input = screen.getByRole("combobox", { name: "Owner" });
    await user.type(input, "ada");
    // What the server answers for "ada": Mia does not match.
    await waitFor(() => expect(screen.queryByRole("option", { name: /Mia Manager/ })).toBeNull());
    expect(screen.getByRole("option", { name: /Adam Agent/ })).toBeTruthy();
    const asked = api.calls.filter((c) => c.path === "/api/v1/users").at(-1);
    expect(asked?.url.searchParams.get("q")).toBe("ada");
    expect(asked?.url.searchParams.get("filter[role][in]")).toBe("admin,manager,agent");
    expect(asked?.url.searchParams.get("filter[active][eq]")).toBe("true");
    expect(asked?.url.searchParams.get("limit")).toBe("20");

    await user.keyboard("{Enter}");
    expect(onPicked).toHaveBeenCalledWith("0190f6c2-0000-7000-8000-000000000102");
  });

  it("names an option by its name and e-mail apart, not run together", async () => {
    const user = userEvent.setup();
    const mateo = {
      id: "0190f6c2-0000-7000-8000-000000000011",
      firstName: "Mateo",
      lastName: "Fischer",
      email: "mateo.fischer@example.com",
    };
    mockApi({ "GET /api/v1/contacts": { body: { data: [mateo], nextCursor: null } } });
    await renderWithProviders(<Harness collection="contacts" label="Contact" noneLabel="No contact" />);

    await user.click(screen.getByRole("combobox", { name: "Contact" }));
    expect(await screen.findByRole("option", { name: "Mateo Fischer, mateo.fischer@example.com" })).toBeTruthy();
  });
});
