// Placeholder sign-in until the web application lands: posts the form to the API.
const form = document.getElementById("sign-in");
const result = document.getElementById("result");
form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const body = { email: form.email.value, password: form.password.value };
  const response = await fetch("/api/v1/auth/sign-in", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const answer = await response.json();
  result.textContent = response.ok
    ? `Signed in as ${answer.user.name} (${answer.role}). Open /api/docs to use the API.`
    : answer.detail || "Sign-in failed.";
});
