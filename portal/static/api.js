// The staff and admin pages' calls to the portal's API: JSON in and out, the page's cookie;
// a refusal thrown as an Error with the API's ``status``, ``code`` and ``field``.
"use strict";

async function api(method, path, body) {
  const init = { method, credentials: "same-origin", headers: {} };
  if (body !== undefined) {
    init.headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (cause) {
    const error = new Error("network"); error.code = "network"; error.status = 0;
    throw error;
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    const error = new Error(data.message || `HTTP ${response.status}`);
    error.status = response.status; error.code = data.error || `http_${response.status}`;
    error.field = data.field || "";
    throw error;
  }
  return data;
}
