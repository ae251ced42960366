import { useSyncExternalStore } from "react";

function subscribe(onChange: () => void): () => void {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}

const isDarkNow = () => document.documentElement.classList.contains("dark");

const light = {
  axis: "#475569",
  grid: "#e2e8f0",
  surface: "#ffffff",
  text: "#0f172a",
  cursor: "rgba(15, 23, 42, 0.06)",
  series: ["#0284c7", "#059669", "#7c3aed", "#d97706", "#e11d48", "#64748b"],
};
const dark = {
  axis: "#cbd5e1",
  grid: "#334155",
  surface: "#0f172a",
  text: "#f1f5f9",
  cursor: "rgba(241, 245, 249, 0.08)",
  series: ["#38bdf8", "#34d399", "#a78bfa", "#fbbf24", "#fb7185", "#94a3b8"],
};

export type ChartTheme = typeof light & {
  /** Props for Tooltip that follow the theme. */
  tooltip: { contentStyle: object; labelStyle: object; cursor: object };
};

/**
 * Chart colours for the current theme (600 shades on light, 400 on dark, so marks keep 3:1
 * contrast), following the `dark` class on <html> as it changes.
 */
export function useChartTheme(): ChartTheme {
  const isDark = useSyncExternalStore(subscribe, isDarkNow, () => false);
  const theme = isDark ? dark : light;
  return {
    ...theme,
    tooltip: {
      contentStyle: {
        background: theme.surface,
        border: `1px solid ${theme.grid}`,
        borderRadius: 6,
        color: theme.text,
      },
      labelStyle: { color: theme.text, fontWeight: 600 },
      cursor: { fill: theme.cursor },
    },
  };
}
