import { Outlet, useNavigate, useRouter } from "@tanstack/react-router";
import { useQueryClient } from "@tanstack/react-query";
import { DropdownMenu } from "radix-ui";
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { toast } from "sonner";
import { onSessionExpired } from "../api/client.ts";
import { Button } from "../components/Button.tsx";
import { Dialog } from "../components/Dialog.tsx";
import { EmptyState } from "../components/Feedback.tsx";
import { meQuery, useCan, useMe, useSignOut, useSwitchWorkspace } from "../features/auth/session.ts";
import { useLiveEvents } from "../features/events/useLiveEvents.ts";
import { NotificationBell } from "../features/notifications/NotificationBell.tsx";
import { useSettingsPages } from "../features/settings/settings-pages.ts";
import { useWorkspaceFormats } from "../features/settings/workspace.api.ts";
import { labelOf } from "../lib/format.ts";
import { hasCreateAction, runCreateAction } from "../lib/page-actions.ts";
import { useShortcuts, type Shortcut } from "../lib/shortcuts.ts";
import { CommandPalette } from "./CommandPalette.tsx";
import { CreateWorkspaceForm } from "./CreateWorkspaceForm.tsx";
import { destinations } from "./navigation.ts";
import { Sidebar } from "./Sidebar.tsx";
import { applyTheme, storedTheme, type Theme } from "./theme.ts";

/** The records a page's create action makes: a role that may create none of them (a viewer) is offered none. */
const creatableResources = ["contact", "company", "lead", "deal", "activity", "task"] as const;

/** The signed-in frame around every page: sidebar, top bar, palette and shortcuts. */
export function AppShell() {
  const { t } = useTranslation();
  const me = useMe();
  const navigate = useNavigate();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [isPaletteOpen, setPaletteOpen] = useState(false);
  const [isHelpOpen, setHelpOpen] = useState(false);
  const [isMenuOpen, setMenuOpen] = useState(false);
  const [isNewWorkspaceOpen, setNewWorkspaceOpen] = useState(false);
  const [theme, setTheme] = useState<Theme>(storedTheme);
  const settingsPages = useSettingsPages();
  const can = useCan();
  // Pages register their create action only for roles that may create there; the shell makes sure.
  const mayCreate = creatableResources.some((resource) => can("create", resource));
  // Open pages follow what others change, and the bell its notifications.
  useLiveEvents(me?.activeWorkspaceId ?? null);
  // Pages show money, dates and numbers the workspace's way: they wait for its settings.
  const isWorkspaceReady = useWorkspaceFormats(me?.activeWorkspaceId ?? null);

  // An expired session sends the user to sign-in, then back to this page.
  useEffect(
    () =>
      onSessionExpired(() => {
        queryClient.setQueryData(meQuery.queryKey, null);
        toast.info(t("shell.sessionEnded"));
        void navigate({ to: "/sign-in", search: { redirect: router.state.location.href } });
      }),
    [navigate, queryClient, router, t],
  );

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "k") {
        event.preventDefault();
        setPaletteOpen((open) => !open);
      }
    };
    window.addEventListener("keydown", onKeyDown);
    return () => window.removeEventListener("keydown", onKeyDown);
  }, []);

  const chooseTheme = (next: Theme) => {
    applyTheme(next);
    setTheme(next);
  };

  const shortcuts = useMemo<Shortcut[]>(
    () => [
      { keys: "?", description: t("shell.shortcuts.help"), run: () => setHelpOpen(true) },
      { keys: "/", description: t("common.search"), run: () => setPaletteOpen(true) },
      {
        keys: "c",
        description: t("shell.shortcuts.create"),
        run: () => {
          if (!mayCreate || !runCreateAction()) toast.info(t("shell.shortcuts.nothingToCreate"));
        },
      },
      ...destinations.map((d) => ({
        keys: d.keys,
        description: t("shell.shortcuts.goTo", { page: d.label() }),
        run: () => void navigate({ to: d.to }),
      })),
    ],
    [navigate, t, mayCreate],
  );
  useShortcuts(shortcuts);

  if (!me) return null;
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-50 focus:bg-white focus:p-2"
      >
        {t("shell.skipToContent")}
      </a>
      <aside className="hidden w-52 shrink-0 border-r border-slate-200 md:block dark:border-slate-800">
        <p className="px-5 pt-4 pb-2 text-xl font-bold text-accent-600 dark:text-sky-400">Keel</p>
        <Sidebar />
      </aside>
      <Dialog open={isMenuOpen} onOpenChange={setMenuOpen} title={t("shell.menu")}>
        <Sidebar onNavigate={() => setMenuOpen(false)} />
      </Dialog>
      <NewWorkspaceDialog open={isNewWorkspaceOpen} onOpenChange={setNewWorkspaceOpen} />
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="flex items-center gap-2 border-b border-slate-200 px-3 py-2 dark:border-slate-800">
          <Button
            variant="ghost"
            className="md:hidden"
            aria-label={t("shell.openMenu")}
            onClick={() => setMenuOpen(true)}
          >
            ☰
          </Button>
          <button
            type="button"
            onClick={() => setPaletteOpen(true)}
            className="flex min-w-0 flex-1 items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-left text-slate-600 sm:max-w-sm dark:border-slate-600 dark:text-slate-300"
          >
            <span className="truncate">{t("shell.searchOrJump")}</span>
            <kbd className="ml-auto hidden text-xs sm:inline">{t("shell.paletteKeys")}</kbd>
          </button>
          <WorkspaceSwitcher />
          {me.activeWorkspaceId && <NotificationBell />}
          <UserMenu
            theme={theme}
            onTheme={chooseTheme}
            onShortcuts={() => setHelpOpen(true)}
            onNewWorkspace={() => setNewWorkspaceOpen(true)}
          />
        </header>
        <main id="main" className="min-w-0 flex-1">
          {me.activeWorkspaceId ? (
            // A page starts anew in another workspace: nothing of its state belongs there.
            isWorkspaceReady && <Outlet key={me.activeWorkspaceId} />
          ) : (
            <EmptyState title={t("shell.noWorkspace")}>
              <CreateWorkspaceForm />
            </EmptyState>
          )}
        </main>
      </div>
      <CommandPalette
        open={isPaletteOpen}
        onOpenChange={setPaletteOpen}
        actions={[
          // Read as the palette opens: pages register theirs when mounted, for roles that may create.
          ...(mayCreate && hasCreateAction()
            ? [{ label: t("shell.palette.create"), run: () => void runCreateAction() }]
            : []),
          { label: t("shell.palette.lightTheme"), run: () => chooseTheme("light") },
          { label: t("shell.palette.darkTheme"), run: () => chooseTheme("dark") },
          { label: t("shell.shortcuts.help"), run: () => setHelpOpen(true) },
          ...settingsPages.map((p) => ({
            label: t("shell.palette.settingsPage", { page: p.label }),
            run: () => void navigate({ to: p.to }),
          })),
        ]}
      />
      <Dialog open={isHelpOpen} onOpenChange={setHelpOpen} title={t("shell.keyboardShortcuts")}>
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt>
            <kbd>{t("shell.paletteKeysBoth")}</kbd>
          </dt>
          <dd>{t("shell.palette.label")}</dd>
          {shortcuts.map((s) => (
            <div key={s.keys} className="contents">
              <dt>
                <kbd>{s.keys}</kbd>
              </dt>
              <dd>{s.description}</dd>
            </div>
          ))}
        </dl>
      </Dialog>
    </div>
  );
}

function WorkspaceSwitcher() {
  const { t } = useTranslation();
  const me = useMe();
  const switchWorkspace = useSwitchWorkspace();
  const navigate = useNavigate();
  if (!me || me.workspaces.length < 2) return null;
  return (
    <label className="hidden items-center gap-1 text-sm sm:flex">
      <span className="sr-only">{t("shell.workspace")}</span>
      <select
        value={me.activeWorkspaceId ?? ""}
        onChange={(event) => {
          switchWorkspace.mutate(event.target.value, { onSuccess: () => void navigate({ to: "/" }) });
        }}
        className="max-w-48 rounded-md border border-slate-300 bg-white px-2 py-1.5 dark:border-slate-600 dark:bg-slate-900"
      >
        {me.workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/** Creates a workspace from the account menu, then works in it. */
function NewWorkspaceDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  const { t } = useTranslation();
  const switchWorkspace = useSwitchWorkspace();
  const navigate = useNavigate();
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={t("shell.createWorkspace.title")}
      description={t("shell.createWorkspace.description")}
    >
      <CreateWorkspaceForm
        onCreated={(workspace) =>
          switchWorkspace.mutate(workspace.id, {
            onSuccess: () => {
              onOpenChange(false);
              toast.success(t("shell.createWorkspace.created", { name: workspace.name }));
              void navigate({ to: "/" });
            },
          })
        }
      />
    </Dialog>
  );
}

/** A menu radio item's dot: seen, not read out (the item's checked state is announced). */
function RadioMark({ checked }: { checked: boolean }) {
  return <span aria-hidden="true">{checked ? "● " : "○ "}</span>;
}

const menuItemClass =
  "cursor-pointer rounded px-3 py-1.5 text-sm outline-none data-[highlighted]:bg-slate-100 dark:data-[highlighted]:bg-slate-800";

function UserMenu({
  theme,
  onTheme,
  onShortcuts,
  onNewWorkspace,
}: {
  theme: Theme;
  onTheme: (theme: Theme) => void;
  onShortcuts: () => void;
  onNewWorkspace: () => void;
}) {
  const { t } = useTranslation();
  const me = useMe();
  const signOut = useSignOut();
  // Here too, not only in the header's switcher, which a phone's narrow header leaves out.
  const switchWorkspace = useSwitchWorkspace();
  const navigate = useNavigate();
  const settingsPages = useSettingsPages();
  if (!me) return null;
  const workspace = me.workspaces.find((w) => w.id === me.activeWorkspaceId);
  const themeLabels: Record<Theme, () => string> = {
    light: () => t("shell.account.themeLight"),
    dark: () => t("shell.account.themeDark"),
    system: () => t("shell.account.themeSystem"),
  };
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger asChild>
        <Button variant="ghost" aria-label={t("shell.account.menuFor", { name: me.user.name })}>
          <span
            aria-hidden="true"
            className="flex h-7 w-7 items-center justify-center rounded-full bg-accent-600 text-sm text-white"
          >
            {me.user.name.charAt(0).toUpperCase()}
          </span>
        </Button>
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          className="z-50 min-w-56 rounded-md border border-slate-200 bg-white p-1 shadow-lg dark:border-slate-700 dark:bg-slate-900"
        >
          <DropdownMenu.Label className="px-3 py-1.5 text-sm">
            <span className="block font-medium">{me.user.name}</span>
            <span className="block text-slate-600 dark:text-slate-400">
              {workspace?.name} · {labelOf(me.role ?? "")}
            </span>
          </DropdownMenu.Label>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-200 dark:bg-slate-700" />
          <DropdownMenu.RadioGroup value={theme} onValueChange={(value) => onTheme(value as Theme)}>
            {(["light", "dark", "system"] as const).map((choice) => (
              <DropdownMenu.RadioItem key={choice} value={choice} className={menuItemClass}>
                <RadioMark checked={theme === choice} />
                {themeLabels[choice]()}
              </DropdownMenu.RadioItem>
            ))}
          </DropdownMenu.RadioGroup>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-200 dark:bg-slate-700" />
          {me.workspaces.length > 1 && (
            <>
              <DropdownMenu.Label className="px-3 py-1 text-xs text-slate-600 dark:text-slate-400">
                {t("shell.account.workspaces")}
              </DropdownMenu.Label>
              <DropdownMenu.RadioGroup
                value={me.activeWorkspaceId ?? ""}
                onValueChange={(id) => switchWorkspace.mutate(id, { onSuccess: () => void navigate({ to: "/" }) })}
              >
                {me.workspaces.map((w) => (
                  <DropdownMenu.RadioItem key={w.id} value={w.id} className={menuItemClass}>
                    <RadioMark checked={w.id === me.activeWorkspaceId} />
                    {w.name}
                  </DropdownMenu.RadioItem>
                ))}
              </DropdownMenu.RadioGroup>
            </>
          )}
          <DropdownMenu.Item className={menuItemClass} onSelect={onNewWorkspace}>
            {t("shell.account.newWorkspace")}
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-200 dark:bg-slate-700" />
          <DropdownMenu.Item className={menuItemClass} onSelect={onShortcuts}>
            {t("shell.keyboardShortcuts")}
          </DropdownMenu.Item>
          {settingsPages.length > 0 && (
            <DropdownMenu.Item className={menuItemClass} onSelect={() => void navigate({ to: "/settings" })}>
              {t("shell.account.settings")}
            </DropdownMenu.Item>
          )}
          <DropdownMenu.Separator className="my-1 h-px bg-slate-200 dark:bg-slate-700" />
          <DropdownMenu.Item className={menuItemClass} onSelect={() => signOut.mutate()}>
            {t("shell.account.signOut")}
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
