/** The web app's configuration: the only reader of `import.meta.env`. */
export const webConfig = {
  apiBase: "/api/v1",
  isDevelopment: import.meta.env.DEV,
} as const;
