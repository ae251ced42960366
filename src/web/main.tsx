import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { browserLanguage, setLanguage } from "./i18n/i18n.ts";
import { App } from "./App.tsx";
import { applyTheme, followSystemTheme, storedTheme } from "./layout/theme.ts";
import "./styles.css";

applyTheme(storedTheme());
followSystemTheme();
const root = document.getElementById("root");
// The first page in the browser's language (its words load first unless English); a profile's
// other choice follows once the account is known (App.tsx).
void setLanguage(browserLanguage())
  .catch(() => undefined)
  .finally(() => {
    if (!root) return;
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    );
  });
