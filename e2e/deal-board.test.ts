/** Drag a deal to another stage on the kanban board (dnd-kit, with the mouse) and find it there after reload. */
import type { Locator, Page } from "playwright-core";
import { describeBrowser, expect, test } from "./support/fixtures.ts";
import { api, signIn, uniqueName, waitForSettled, type Page1 } from "./support/helpers.ts";

type Stage = { id: string; name: string; isWon: boolean; isLost: boolean; position?: number };
type Pipeline = { id: string; name: string; isDefault?: boolean; stages: Stage[] };

function column(page: Page, stage: Stage): Locator {
  return page.getByRole("region", { name: stage.name, exact: true });
}

/** Presses on the card's drag handle, moves in small steps onto the column, releases. */
async function dragTo(page: Page, handle: Locator, target: Locator): Promise<void> {
  await handle.scrollIntoViewIfNeeded();
  await target.scrollIntoViewIfNeeded();
  const from = await handle.boundingBox();
  const to = await target.boundingBox();
  if (!from || !to) throw new Error("The card or the column is not on screen");
  const start = { x: from.x + from.width / 2, y: from.y + from.height / 2 };
  const end = { x: to.x + to.width / 2, y: to.y + Math.min(to.height / 2, 160) };
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  // Past the sensor's 6 px activation distance first, then on to the column.
  await page.mouse.move(start.x + 10, start.y + 10, { steps: 5 });
  await page.mouse.move(end.x, end.y, { steps: 20 });
  await page.mouse.move(end.x + 2, end.y + 2, { steps: 2 });
  await page.mouse.up();
}

describeBrowser("deal board", () => {
  test("drag a deal to the next stage; after reload it is there", async ({ page }) => {
    await signIn(page, "manager");
    const pipelines = await api<Page1<Pipeline>>(page, "GET", "/pipelines");
    const pipeline = pipelines.data.find((p) => p.isDefault) ?? pipelines.data[0];
    const open = pipeline?.stages.filter((s) => !s.isWon && !s.isLost) ?? [];
    const [source, target] = open;
    if (!pipeline || !source || !target) throw new Error("The demo pipeline needs two open stages");
    const name = uniqueName("Drag deal ");
    const deal = await api<{ id: string }>(page, "POST", "/deals", {
      name,
      value: "1200.00",
      pipelineId: pipeline.id,
      stageId: source.id,
    });

    await page.goto("/deals?mode=kanban");
    const board = page.getByRole("region", { name: `${pipeline.name}: deals by stage` });
    await board.waitFor();
    await waitForSettled(page);
    await column(page, source).getByRole("link", { name }).waitFor();

    const saved = page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/deals/${deal.id}`) && r.request().method() === "PATCH",
    );
    await dragTo(page, column(page, source).getByRole("button", { name: `Drag ${name}` }), column(page, target));
    expect((await saved).status()).toBe(200);
    await column(page, target).getByRole("link", { name }).waitFor();

    await page.reload();
    await board.waitFor();
    await waitForSettled(page);
    await column(page, target).getByRole("link", { name }).waitFor();
    expect(await column(page, source).getByRole("link", { name }).count()).toBe(0);
    const stored = await api<{ stageId: string }>(page, "GET", `/deals/${deal.id}`);
    expect(stored.stageId).toBe(target.id);
  });
});
